-- demo_data.sql: the demo-data generator. Not part of the schema: ccterm-admin demo-data
-- loads it into a scratch schema (ccterm_demo), runs demo_data() and drops the schema again.
-- (It began as migration 090, which stays as history; migration 100 removes its functions.)

-- 090 demo_data(customers, interactions, seed): deterministic synthetic data for
-- a Korean retailer's call center, for the demo and for benchmarks.
--
--   select demo_data(2000, 40000);          -- about a second
--   select demo_data(1000000, 20000000);    -- a few minutes on 2 cores, ~6 GB
--
-- Every pseudo-random choice is a hash of (row number, seed, stream):
-- demo_u(i, s + stream) is uniform in [0, 1), demo_mod(i, s + stream, m) in
-- 0..m-1, with s = seed * 1000 and a fixed stream number per decision (below).
-- There is no random() anywhere, the big statements never run in parallel and
-- the rows carry explicit ids, so one seed gives the same rows on every run.
-- Only timestamps move: they are anchored at today's midnight in Seoul, so the
-- demo always has fresh history ending yesterday.
--
-- Streams: keyed by customer 1..50, keyed by interaction 101..199, the seed 900.
--
-- The helpers are small immutable SQL functions that the planner inlines into
-- the generating statements; each statement is a stack of "offset 0"
-- subqueries so that a value computed once is a plain column (a Var) for the
-- level above instead of an expression copied into every use.  Keep it that
-- way when editing: a helper whose argument is used twice in its body is only
-- inlined when the argument is cheap (a column, a constant), otherwise it
-- becomes a per-row function call and the 20 M case gets several times slower.
-- EXPLAIN VERBOSE of the statements must show no demo_* call.

-- Uniform double in [0, 1) from the top 53 bits of a 64-bit hash.
create or replace function demo_u(i bigint, salt bigint) returns double precision
language sql immutable parallel safe as $$
	select ((hashint8extended(i, salt) >> 11) & 9007199254740991)::float8 / 9007199254740992::float8
$$;

-- Integer in 0 .. m-1.
create or replace function demo_mod(i bigint, salt bigint, m bigint) returns integer
language sql immutable parallel safe as $$
	select ((hashint8extended(i, salt) & 9223372036854775807) % m)::integer
$$;

-- Cumulative thresholds of a weight list, for width_bucket: {2,1,1} -> {0.5,0.75}.
-- Always called with a constant, so the planner evaluates it once per statement.
create or replace function demo_cum(w double precision[]) returns double precision[]
language sql immutable parallel safe as $$
	select coalesce(array_agg(c order by k), '{}')
	from (select k, sum(x) over (order by k) / sum(x) over () as c
	      from unnest(w) with ordinality as t(x, k)) q
	where k < cardinality(w)
$$;

-- 1-based index into a weight list for a uniform u.
create or replace function demo_pick(u double precision, w double precision[]) returns integer
language sql immutable parallel safe as $$
	select width_bucket(u, demo_cum(w)) + 1
$$;

-- Households: customers are permuted (i -> (i-1)*a mod n, a coprime to n) and
-- cut into blocks of 60; the first 2..4 of a block share a family name, home
-- branch and landline.  Returns the block number, NULL for everyone else (~95%).
create or replace function demo_house(i bigint, n bigint, s bigint, a bigint) returns bigint
language sql immutable parallel safe as $$
	select case when (i - 1) * a % n % 60 < 2 + demo_mod((i - 1) * a % n / 60, s + 50, 3)
	             and (i - 1) * a % n / 60 * 60 + 2 + demo_mod((i - 1) * a % n / 60, s + 50, 3) <= n
	       then (i - 1) * a % n / 60 end
$$;

-- Home branch of a customer (key: the customer, or -1 - household).
create or replace function demo_home_branch(key bigint, s bigint) returns text
language sql immutable parallel safe as $$
	select (array['SEL-GN', 'SEL-JR', 'BSN-HU', 'ICN-SD', 'DJN-DC', 'DGU-SS', 'GWJ-SB', 'ULS-NM',
	              'SUW-YT', 'JJU-JJ', 'ONLINE'])[demo_pick(demo_u(key, s + 23), '{14,10,9,7,6,6,5,4,8,3,28}')]
$$;

-- The store a customer walks into: mostly the home branch, else any store.
create or replace function demo_store_branch(c bigint, j bigint, n bigint, s bigint, a bigint) returns text
language sql immutable parallel safe as $$
	select coalesce(nullif(case when demo_u(j, s + 140) < 0.7
	                            then demo_home_branch(coalesce(-1 - demo_house(c, n, s, a), c), s) end, 'ONLINE'),
	                (array['SEL-GN', 'SEL-JR', 'BSN-HU', 'ICN-SD', 'DJN-DC', 'DGU-SS', 'GWJ-SB', 'ULS-NM',
	                       'SUW-YT', 'JJU-JJ'])[demo_pick(demo_u(j, s + 141), '{14,10,9,7,6,6,5,4,8,3}')])
$$;

-- Tier: all 20 %, registered 50 %, contracted 25 %, platinum 5 %; customer 1 is platinum.
create or replace function demo_tier(i bigint, s bigint) returns text
language sql immutable parallel safe as $$
	select case when i = 1 then 'platinum'
	       else (array['all', 'registered', 'contracted', 'platinum'])[demo_pick(demo_u(i, s + 10), '{20,50,25,5}')] end
$$;

-- The product catalogue (30 items): name, unit price, SKU.
create or replace function demo_product(p integer) returns text
language sql immutable parallel safe as $$
	select (array['무선 이어폰', '스마트워치', 'USB-C 충전기', '블루투스 스피커', '공기청정기', '로봇청소기',
	              '전기밥솥', '에어프라이어', '커피머신', '가습기', '패딩 점퍼', '운동화', '니트 카디건',
	              '청바지', '가죽 지갑', '유아 카시트', '아동 내복 세트', '기저귀 대형', '한우 선물세트',
	              '홍삼 정과 세트', '제주 감귤 5kg', '유기농 쌀 10kg', '캠핑 의자', '요가 매트', '텀블러',
	              '호텔 수건 세트', '침구 세트', '화장품 세트', '선크림', '무선 마우스'])[p]
$$;
create or replace function demo_price(p integer) returns bigint
language sql immutable parallel safe as $$
	select (array[129000, 259000, 25000, 89000, 329000, 599000, 189000, 119000, 249000, 69000,
	              189000, 99000, 59000, 49000, 79000, 289000, 25000, 32000, 159000, 89000,
	              29000, 45000, 39000, 25000, 19000, 22000, 139000, 68000, 18000, 35000]::bigint[])[p]
$$;
create or replace function demo_sku(p integer) returns text
language sql immutable parallel safe as $$
	select (array['EL', 'EL', 'EL', 'EL', 'HA', 'HA', 'HA', 'HA', 'HA', 'HA', 'FA', 'FA', 'FA', 'FA', 'FA',
	              'KD', 'KD', 'KD', 'FD', 'FD', 'FD', 'FD', 'LS', 'LS', 'LS', 'LV', 'LV', 'BT', 'BT', 'EL'])[p]
	       || '-' || (1000 + p)::text
$$;

-- Order j: 1..4 lines (55/25/12/8 %), each a product and a quantity 1..3.
create or replace function demo_nlines(j bigint, s bigint) returns integer
language sql immutable parallel safe as $$
	select demo_pick(demo_u(j, s + 160), '{55,25,12,8}')
$$;
create or replace function demo_line_prod(j bigint, l integer, s bigint) returns integer
language sql immutable parallel safe as $$
	select 1 + demo_mod(j * 8 + l, s + 161, 30)
$$;
create or replace function demo_line_qty(j bigint, l integer, s bigint) returns integer
language sql immutable parallel safe as $$
	select demo_pick(demo_u(j * 8 + l, s + 162), '{80,15,5}')
$$;
create or replace function demo_order_total(j bigint, s bigint) returns bigint
language sql immutable parallel safe as $$
	select demo_price(demo_line_prod(j, 1, s)) * demo_line_qty(j, 1, s)
	     + case when demo_nlines(j, s) >= 2 then demo_price(demo_line_prod(j, 2, s)) * demo_line_qty(j, 2, s) else 0 end
	     + case when demo_nlines(j, s) >= 3 then demo_price(demo_line_prod(j, 3, s)) * demo_line_qty(j, 3, s) else 0 end
	     + case when demo_nlines(j, s) >= 4 then demo_price(demo_line_prod(j, 4, s)) * demo_line_qty(j, 4, s) else 0 end
$$;

-- Order number from its interaction: O2024-00012345.
create or replace function demo_order_no(j bigint, t timestamptz) returns text
language sql immutable parallel safe as $$
	select 'O' || extract(year from t at time zone 'Asia/Seoul')::integer::text || '-'
	       || lpad(j::text, greatest(8, length(j::text)), '0')
$$;

-- Order status by age in days.
create or replace function demo_order_status(j bigint, s bigint, age integer) returns text
language sql immutable parallel safe as $$
	select case when age <= 1 then (array['placed', 'paid', 'shipped'])[demo_pick(demo_u(j, s + 163), '{30,50,20}')]
	            when age <= 4 then (array['paid', 'shipped', 'delivered'])[demo_pick(demo_u(j, s + 163), '{10,50,40}')]
	            else (array['delivered', 'returned', 'cancelled'])[demo_pick(demo_u(j, s + 163), '{88,5,7}')] end
$$;

-- Which complaints and returns open a case, and the case's status and priority.
create or replace function demo_has_case(k text, j bigint, s bigint) returns boolean
language sql immutable parallel safe as $$
	select (k = 'complaint' and demo_u(j, s + 114) < 0.4) or (k = 'return' and demo_u(j, s + 114) < 0.15)
$$;
create or replace function demo_case_status(j bigint, s bigint, age integer) returns text
language sql immutable parallel safe as $$
	select (array['open', 'pending', 'escalated', 'closed'])[case
	        when age <= 2 then demo_pick(demo_u(j, s + 115), '{55,20,10,15}')
	        when age <= 14 then demo_pick(demo_u(j, s + 115), '{25,20,10,45}')
	        when age <= 60 then demo_pick(demo_u(j, s + 115), '{5,5,3,87}')
	        else demo_pick(demo_u(j, s + 115), '{1,1,0,98}') end]
$$;
create or replace function demo_case_priority(j bigint, s bigint, tier text) returns text
language sql immutable parallel safe as $$
	select (array['low', 'normal', 'high', 'urgent'])[case when tier = 'platinum'
	        then demo_pick(demo_u(j, s + 116), '{0,20,50,30}') else demo_pick(demo_u(j, s + 116), '{15,60,20,5}') end]
$$;

-- Reason code of an interaction (matches the subject).
create or replace function demo_reason(k text, j bigint, s bigint) returns text
language sql immutable parallel safe as $$
	select case k when 'inquiry' then (array['billing', 'delivery', 'product'])[demo_pick(demo_u(j, s + 110), '{30,45,25}')]
	              when 'complaint' then (array['late_delivery', 'damaged', 'rude_staff'])[demo_pick(demo_u(j, s + 110), '{45,30,25}')]
	              when 'order' then 'new_order'
	              when 'return' then 'refund' end
$$;

-- Survey score 1..5, mostly 4-5, each branch a little better or worse.
create or replace function demo_score(j bigint, s bigint, branch text) returns smallint
language sql immutable parallel safe as $$
	select (1 + width_bucket(demo_u(j, s + 120) + case branch
	            when 'SEL-GN' then 0.03 when 'SEL-JR' then -0.08 when 'BSN-HU' then 0.07 when 'DJN-DC' then 0.02
	            when 'DGU-SS' then -0.03 when 'GWJ-SB' then 0.04 when 'ULS-NM' then -0.05 when 'SUW-YT' then 0.01
	            when 'JJU-JJ' then 0.05 when 'ONLINE' then -0.02 else 0 end,
	        '{0.05,0.12,0.25,0.55}'::float8[]))::smallint
$$;

-- Subject line of an interaction (cases reuse it).  Every argument but j is
-- used once per branch, or is a column of the caller.
create or replace function demo_subject(k text, reason text, j bigint, s bigint, prod integer, score integer,
                                        order_no text) returns text
language sql immutable parallel safe as $$
	select case k
	when 'inquiry' then case reason
		when 'delivery' then (array['배송 조회 문의', '배송지 변경 요청', '도착 예정일 문의', 'Delivery status check',
		                            '부분 배송 문의'])[1 + demo_mod(j, s + 150, 5)]
		when 'billing' then (array['결제 수단 변경 문의', '포인트 적립 문의', '영수증 재발행 요청', '쿠폰 사용 방법 문의',
		                           'Password reset', '할부 개월 변경 문의'])[1 + demo_mod(j, s + 150, 6)]
		else case when demo_u(j, s + 151) < 0.4 then demo_product(prod) || ' 재입고 문의'
		          else (array['회원 등급 혜택 문의', '매장 영업시간 문의', '사이즈 교환 가능 여부', '상품 사용법 문의',
		                      'Product availability'])[1 + demo_mod(j, s + 150, 5)] end end
	when 'complaint' then case reason
		when 'late_delivery' then (array['배송 지연 불만', '약속일 미배송', 'Late delivery', '배송 지연 재문의'])[1 + demo_mod(j, s + 150, 4)]
		when 'damaged' then (array['파손 상품 수령 - ', '품질 불량 - ', '오배송 - '])[1 + demo_mod(j, s + 150, 3)] || demo_product(prod)
		else (array['직원 응대 불만', '상담원 응대 불만', '환불 처리 지연', '중복 결제 항의'])[1 + demo_mod(j, s + 150, 4)] end
	when 'order' then case when demo_u(j, s + 151) < 0.8 then '주문 ' else 'Order #' end || order_no
	when 'return' then (array['반품 요청 - ', '교환 요청 - ', '환불 요청 - '])[1 + demo_mod(j, s + 150, 3)] || demo_product(prod)
	when 'visit' then case when demo_u(j, s + 151) < 0.5
		then (array['제품 체험 - ', 'A/S 접수 - ', '매장 픽업 - '])[1 + demo_mod(j, s + 150, 3)] || demo_product(prod)
		else (array['매장 방문 상담', '멤버십 가입 상담', '사은품 수령', '가격 문의 (매장)'])[1 + demo_mod(j, s + 150, 4)] end
	when 'survey' then case when demo_u(j, s + 151) < 0.8 then '고객 만족도 조사 (' || score::text || '점)'
	                        else 'Satisfaction survey ' || score::text || '/5' end
	when 'campaign_response' then (array['캠페인 응답 - 가을 정기세일', '캠페인 응답 - 추석 선물세트',
		'캠페인 응답 - 플래티넘 감사 초대', 'Campaign response - win-back coupon',
		'캠페인 응답 - 패밀리 팩'])[1 + demo_mod(j, s + 150, 5)]
	when 'web_event' then (array['login', 'page_view /product/', 'cart_add ', 'wishlist_add ', 'search ',
		'coupon_download', 'logout'])[demo_pick(demo_u(j, s + 150), '{20,35,15,8,14,4,4}')]
		|| case when demo_u(j, s + 150) < 0.2 then '' when demo_u(j, s + 150) < 0.78 then demo_sku(prod)
		        when demo_u(j, s + 150) < 0.92 then '"' || demo_product(prod) || '"' else '' end
	when 'payment' then (array['결제 완료', '카드 결제 승인', '무통장 입금 확인', '간편결제 승인', 'Payment received'])[1 + demo_mod(j, s + 150, 5)]
	when 'callback' then (array['콜백 - 배송 조회 결과 안내', '콜백 - 재입고 안내', '콜백 - 환불 처리 결과 안내',
		'Callback: order status'])[1 + demo_mod(j, s + 150, 4)]
	when 'note' then (array['내부 메모 - 오후 연락 선호', '내부 메모 - 주소 확인 필요', '내부 메모 - 통화 중 끊김',
		'Internal note'])[1 + demo_mod(j, s + 150, 4)]
	end
$$;

-- Body text of an interaction: a sentence that goes with the subject (the
-- template lists line up with demo_subject's, picked by the same hash).
create or replace function demo_body(k text, reason text, j bigint, s bigint, prod integer, score integer) returns text
language sql immutable parallel safe as $$
	select case k
	when 'inquiry' then case reason
		when 'delivery' then (array['택배사 확인 후 현재 위치 안내.', '배송지 변경 처리 완료.', '출고 완료, 내일 도착 예정 안내.',
			'Parcel is with the courier; tracking number sent by SMS.',
			'부분 배송 건, 나머지 상품 출고 예정일 안내.'])[1 + demo_mod(j, s + 150, 5)]
		when 'billing' then (array['결제 취소 후 재주문 방법 안내.', '포인트 적립 내역 확인, 누락분 적립 처리.',
			'영수증 이메일 재발송.', '쿠폰 적용 조건 안내.', 'Password reset link sent by SMS.',
			'카드사 할부 변경 절차 안내.'])[1 + demo_mod(j, s + 150, 6)]
		else case when demo_u(j, s + 151) < 0.4 then demo_product(prod) || ' 재입고 일정 안내, 입고 알림 신청 처리.'
		          else (array['등급별 혜택과 승급 조건 안내.', '영업시간 및 주차 안내.', '구매 후 14일 이내 교환 가능 안내.',
		                      '사용 설명서 링크 문자 발송.',
		                      'Checked stock: available online and in two stores.'])[1 + demo_mod(j, s + 150, 5)] end end
	when 'complaint' then case reason
		when 'late_delivery' then (array['주문 후 ' || (3 + demo_mod(j, s + 171, 6))::text || '일째 미도착. 택배사에 긴급 확인 요청.',
			'약속한 날짜에 배송되지 않음. 보상 쿠폰 안내.', 'Parcel is a week late; courier contacted, coupon offered.',
			'지연 건 재문의. 재발송 진행.'])[1 + demo_mod(j, s + 150, 4)]
		when 'damaged' then (array['파손된 상태로 도착. 사진 접수, 교환 진행.', '사용 중 불량 발생. 회수 후 환불 예정.',
			'다른 상품이 배송됨. 회수 후 재발송.'])[1 + demo_mod(j, s + 150, 3)]
		else (array['매장 직원 응대가 불친절했다는 불만. 해당 매장에 전달.', '상담원 응대 불만. 사과 후 재교육 요청.',
			'환불이 지연되어 재무팀 확인 요청.', '같은 주문이 두 번 결제됨. 카드사 확인 중.'])[1 + demo_mod(j, s + 150, 4)] end
	when 'order' then demo_product(demo_line_prod(j, 1, s))
		|| case when demo_nlines(j, s) > 1 then ' 외 ' || (demo_nlines(j, s) - 1)::text || '건' else '' end || ' 주문.'
	when 'return' then (array['단순 변심, 회수 접수 완료.', '사이즈/옵션 변경으로 교환, 회수 후 재발송.',
		'불량으로 환불 요청, 회수 후 환불 예정.'])[1 + demo_mod(j, s + 150, 3)]
	when 'visit' then case when demo_u(j, s + 151) < 0.5
		then (array['제품 시연 후 구매 검토.', 'A/S 접수, 7일 내 연락 예정.', '온라인 주문 상품 매장 수령.'])[1 + demo_mod(j, s + 150, 3)]
		else (array['매장 방문 상담.', '멤버십 가입 및 앱 설치 도움.', '구매 사은품 지급.', '가격 및 할인 행사 안내.'])[1 + demo_mod(j, s + 150, 4)] end
	when 'survey' then (array['문제가 해결되지 않았습니다.', '대기 시간이 너무 길었어요.', '보통이에요.', '대체로 만족합니다.',
		'친절하고 빨랐어요.'])[score]
	when 'campaign_response' then (array['관심 있음, 쿠폰 재발송.', '관심 없음, 수신 거부 요청.', '혜택 문의 후 구매 의사 밝힘.',
		'Interested; asked for details by e-mail.'])[1 + demo_mod(j, s + 152, 4)]
	when 'payment' then (array['신용카드 일시불 결제.', '신용카드 3개월 할부 승인.', '무통장 입금 확인.', '간편결제 승인.',
		'Paid by credit card.'])[1 + demo_mod(j, s + 150, 5)]
	when 'callback' then case when demo_u(j, s + 153) < 0.2 then '고객 부재, 문자 남김.'
		else (array['약속한 시간에 회신, 배송 조회 결과 안내.', '재입고 일정 안내 완료.', '환불 처리 완료 안내.',
		            'Called back with the order status.'])[1 + demo_mod(j, s + 150, 4)] end
	when 'note' then (array['오후 2시 이후 연락 희망.', '주소 확인 필요, 다음 통화 때 확인.', '통화 중 끊김, 재연결 안 됨.',
		'Prefers e-mail over phone.'])[1 + demo_mod(j, s + 150, 4)]
	end
$$;

-- One generated row per customer i = 1..n with every attribute the customer
-- tables need; a = household permutation multiplier, bm = mobile offset.
create or replace function demo_customer_rows(n bigint, s bigint, a bigint, bm bigint, t_start timestamptz,
                                              t_anchor timestamptz)
returns table (i bigint, external_id text, name text, tier text, segment text, branch text, birth date,
               gender text, marital text, value_won bigint, churn real, created timestamptz, updated timestamptz,
               house bigint, house_pos integer, mobile text, landline text, email text, rrn text)
language sql stable parallel safe as $$
select i, 'C' || lpad(i::text, greatest(7, length(i::text)), '0'), name, tier, segment, branch, birth, gender,
	case when age < 28 then case when demo_u(i, s + 12) < 0.9 then 'single' else 'married' end
	     when segment = 'family' then 'married'
	     when segment = 'young_single' then case when demo_u(i, s + 12) < 0.85 then 'single' else 'divorced' end
	     when age >= 65 then (array['married', 'widowed', 'divorced'])[demo_pick(demo_u(i, s + 12), '{65,25,10}')]
	     else (array['married', 'single', 'divorced'])[demo_pick(demo_u(i, s + 12), '{65,25,10}')] end,
	value_won, churn, created, date_trunc('second', created + demo_u(i, s + 18) * (t_anchor - created)), house,
	((i - 1) * a % n % 60)::integer,
	mobile, landline,
	-- e-mail: letters + the customer number, so unique; reserved example domains only
	case when i = 1 or demo_u(i, s + 19) < case when age >= 60 then 0.35 else 0.66 end then
		case when english then lower(replace(name, ' ', '.'))
		     else case demo_mod(i, s + 20, 3) when 0 then given_rom || '.' || fam_rom
		                                      when 1 then fam_rom || given_rom else given_rom || '_' end end
		|| i || '@' || (array['example.com', 'example.net', 'example.org'])[1 + demo_mod(i, s + 26, 3)] end,
	-- RRN: YYMMDD-G + 5 digits + a check digit that is deliberately wrong, so a
	-- demo number is never a valid real one
	case when i = 1 or demo_u(i, s + 21) < 0.3 then
		left(d12, 6) || '-' || right(d12, 6) || (15 - (2 * substr(d12, 1, 1)::int + 3 * substr(d12, 2, 1)::int
			+ 4 * substr(d12, 3, 1)::int + 5 * substr(d12, 4, 1)::int + 6 * substr(d12, 5, 1)::int
			+ 7 * substr(d12, 6, 1)::int + 8 * substr(d12, 7, 1)::int + 9 * substr(d12, 8, 1)::int
			+ 2 * substr(d12, 9, 1)::int + 3 * substr(d12, 10, 1)::int + 4 * substr(d12, 11, 1)::int
			+ 5 * substr(d12, 12, 1)::int) % 11) % 10 end
from (
	select i, house, english, gender, tier, age, birth, branch, fam_rom, given_rom, created,
		-- phone numbers: last round of the bijection (see l1); mobiles 010-2000-0000 ..
		-- 010-9999-9999, landlines with the area code of the household's branch
		'+8210' || (20000000 + mhi * 10000 + (mlo + demo_mod(mhi, s + 32, 10000)) % 10000) as mobile,
		case when house is not null then '+82' || case branch when 'BSN-HU' then '51' when 'ICN-SD' then '32'
			when 'DJN-DC' then '42' when 'DGU-SS' then '53' when 'GWJ-SB' then '62' when 'ULS-NM' then '52'
			when 'SUW-YT' then '31' when 'JJU-JJ' then '64' else '2' end
			|| (20000000 + hhi * 10000 + (hlo + demo_mod(hhi, s + 35, 10000)) % 10000) end as landline,
		case when english then (array['James', 'Michael', 'David', 'Daniel', 'Ryan', 'Chris', 'Andrew', 'Kevin',
			'Brian', 'Thomas', 'Emily', 'Olivia', 'Sarah', 'Jessica', 'Emma', 'Grace', 'Hannah', 'Sophia',
			'Rachel', 'Laura'])[case gender when 'M' then 1 else 11 end + demo_mod(i, s + 8, 10)]
			|| ' ' || (array['Clark', 'Smith', 'Johnson', 'Brown', 'Wilson', 'Taylor', 'Anderson', 'Miller',
			'Davis', 'Moore', 'Martin', 'Walker', 'Hall', 'Young', 'Wright', 'Evans', 'Baker', 'Turner',
			'Parker', 'Collins'])[1 + demo_mod(i, s + 9, 20)]
		else fam || given end as name,
		case when tier = 'platinum' and demo_u(i, s + 11) < 0.6 then 'premium'
		     when age < 24 then case when demo_u(i, s + 24) < 0.75 then 'student' else 'young_single' end
		     when age >= 65 then case when demo_u(i, s + 24) < 0.8 then 'senior' else 'family' end
		     when house is not null then 'family'
		     when age < 35 then (array['young_single', 'family', 'business', 'student'])[demo_pick(demo_u(i, s + 24), '{50,25,20,5}')]
		     else (array['family', 'business', 'young_single', 'premium'])[demo_pick(demo_u(i, s + 24), '{50,30,15,5}')] end
			as segment,
		-- lifetime value: log-normal around a median per tier, 30 % of walk-ins never bought
		case when tier = 'all' and demo_u(i, s + 25) < 0.3 then 0
		     else (round(case tier when 'all' then 30000 when 'registered' then 350000
		                          when 'contracted' then 2500000 else 28000000 end
		                 * exp(0.9 * greatest(-3, least(3, sqrt(-2 * ln(1 - demo_u(i, s + 13)))
		                                                   * cos(2 * pi() * demo_u(i, s + 14))))) / 1000) * 1000)::bigint
		end as value_won,
		-- churn 0..1 skewed low (about 7 % above 0.8); customer 1 is at risk for the demo
		case when i = 1 then 0.86::real
		     else round(power(demo_u(i, s + 15), case tier when 'all' then 2.2 when 'registered' then 3
		                      when 'contracted' then 3.5 else 4.5 end)::numeric, 3)::real end as churn,
		to_char(birth, 'YYMMDD') || case when extract(year from birth) < 2000 then case gender when 'M' then '1' else '2' end
		                                 else case gender when 'M' then '3' else '4' end end
			|| lpad(demo_mod(i, s + 22, 100000)::text, 5, '0') as d12
	from (
		select i, house, english, gender, tier, byear, 2024 - byear as age, mlo, hlo,
			(mhi + demo_mod(mlo, s + 31, 8000)) % 8000 as mhi, (hhi + demo_mod(hlo, s + 34, 8000)) % 8000 as hhi,
			make_date(byear, 1, 1) + demo_mod(i, s + 5, 365) as birth,
			demo_home_branch(coalesce(-1 - house, i), s) as branch,
			(array['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오', '서', '신', '권', '황',
			       '안', '송', '류', '홍'])[fam] as fam,
			(array['kim', 'lee', 'park', 'choi', 'jung', 'kang', 'cho', 'yoon', 'jang', 'lim', 'han', 'oh',
			       'seo', 'shin', 'kwon', 'hwang', 'ahn', 'song', 'ryu', 'hong'])[fam] as fam_rom,
			-- given names by generation and gender: 15 + 15 born before 1975, 20 + 20 after
			(array['영수', '영호', '영철', '성호', '성수', '상철', '정호', '정훈', '재영', '종호', '광수', '병철',
			       '진호', '경수', '민수',
			       '영희', '정숙', '순자', '미경', '미숙', '영숙', '경희', '정희', '은숙', '혜숙', '미영', '선희',
			       '명숙', '정미', '은희',
			       '민준', '서준', '도윤', '예준', '시우', '하준', '주원', '지호', '지훈', '준우', '현우', '도현',
			       '건우', '우진', '승민', '동현', '성민', '준호', '재원', '태윤',
			       '서연', '서윤', '지우', '서현', '민서', '하은', '하윤', '윤서', '지유', '지민', '채원', '수아',
			       '지아', '지윤', '다은', '은서', '예은', '수빈', '지영', '수진'])[given] as given,
			(array['yeongsu', 'yeongho', 'yeongcheol', 'seongho', 'seongsu', 'sangcheol', 'jeongho', 'jeonghun',
			       'jaeyeong', 'jongho', 'gwangsu', 'byeongcheol', 'jinho', 'gyeongsu', 'minsu',
			       'yeonghui', 'jeongsuk', 'sunja', 'migyeong', 'misuk', 'yeongsuk', 'gyeonghui', 'jeonghui',
			       'eunsuk', 'hyesuk', 'miyeong', 'seonhui', 'myeongsuk', 'jeongmi', 'eunhui',
			       'minjun', 'seojun', 'doyun', 'yejun', 'siu', 'hajun', 'juwon', 'jiho', 'jihun', 'junu',
			       'hyeonu', 'dohyeon', 'geonu', 'ujin', 'seungmin', 'donghyeon', 'seongmin', 'junho', 'jaewon',
			       'taeyun',
			       'seoyeon', 'seoyun', 'jiu', 'seohyeon', 'minseo', 'haeun', 'hayun', 'yunseo', 'jiyu', 'jimin',
			       'chaewon', 'sua', 'jia', 'jiyun', 'daeun', 'eunseo', 'yeeun', 'subin', 'jiyoung',
			       'sujin'])[given] as given_rom,
			-- member since: up to ten years before the interaction history starts
			t_start - (demo_mod(i, s + 16, 3650) * 86400 + demo_mod(i, s + 17, 86400)) * interval '1 second' as created
		from (
			select i, house, english, gender, byear, demo_tier(i, s) as tier,
				mx / 10000 as mhi, (mx % 10000 + demo_mod(mx / 10000, s + 30, 10000)) % 10000 as mlo,
				hx / 10000 as hhi, (hx % 10000 + demo_mod(hx / 10000, s + 33, 10000)) % 10000 as hlo,
				-- family names weighted like the population (per mille)
				demo_pick(demo_u(coalesce(-1 - house, i), s + 6),
				          '{215,147,84,47,43,24,21,21,20,17,15,15,14,14,14,14,13,13,12,11}') as fam,
				case when byear < 1975 then case gender when 'M' then 1 else 16 end + demo_mod(i, s + 7, 15)
				     else case gender when 'M' then 31 else 51 end + demo_mod(i, s + 7, 20) end as given
			from (
				select i, house,
					house is null and i > 1 and demo_u(i, s + 1) < 0.10 as english,
					case when demo_u(i, s + 2) < 0.5 then 'M' else 'F' end as gender,
					-- born 1945..2006, triangular around the mid-1970s
					1945 + floor(31 * (demo_u(i, s + 3) + demo_u(i, s + 4)))::integer as byear,
					-- Phone numbers are a bijection of 0 .. 8e7-1, so unique: an affine map
					-- (39916801 is coprime to 8e7), then three Feistel-like rounds on the
					-- halves (hi 0..7999, lo 0..9999) so that neighbours look unrelated.
					((i - 1) * 39916801 + bm) % 80000000 as mx,
					(house * 39916801 + bm) % 80000000 as hx
				from (select i, demo_house(i, n, s, a) as house from generate_series(1::bigint, n) as i offset 0) l0
				offset 0) l1
			offset 0) l2
		offset 0) l3
	offset 0) l4
$$;

-- One generated row per interaction j = 1..p, in time order (the day grows
-- with j; the time of day is hashed).  kinds, when not NULL, keeps only those
-- kinds before the costlier columns are computed.
--   cum: day thresholds (demo_data builds them: growth, weekday, season)
--   customers: share p1 to customer 1, ph to customers 2..h+1 ("heavy"),
--   10 % of the rest uniform, the rest a power law (u^3) over a permutation
--   (multiplier a) truncated at u0 so nobody else gets more than a few hundred.
create or replace function demo_interaction_rows(n bigint, p bigint, s bigint, a bigint, u0 double precision,
                                                 p1 double precision, ph double precision, h bigint,
                                                 cum double precision[], t_start timestamptz, kinds text[],
                                                 j_lo bigint default 1, j_hi bigint default null)
returns table (j bigint, ch text, k text, dir text, c bigint, day integer, t timestamptz)
language sql stable parallel safe as $$
select j, ch, k, dir, c, day, t_start + (day * 86400 + sec) * interval '1 second'
from (
	select j, ch, k, dir,
		case when r < p1 then 1::bigint
		     when r < p1 + ph then 2 + demo_mod(j, s + 104, h)
		     when r < p1 + ph + 0.1 * (1 - p1 - ph) then 1 + demo_mod(j, s + 105, n)
		     else 1 + least(n - 1, floor(n * power(u0 + (1 - u0) * demo_u(j, s + 106), 3))::bigint) * a % n
		end as c,
		width_bucket((j - 0.5::float8) / p, cum) as day,
		-- time of day (Seoul): agents 9-18, outbound 10-20, stores 10:30-20:00,
		-- self-service 6-24 peaking at 21
		least(86399, case when dir = 'out' then 36000 + floor(tu * 36000)
		                  when ch in ('phone', 'chat', 'fax', 'mail') then 32400 + floor(tu * 32400)
		                  when ch = 'store' then 37800 + floor(tu * 34200)
		                  when tu < 15.0 / 18 then 3600 * (6 + sqrt(tu * 270))
		                  else 3600 * (24 - sqrt((1 - tu) * 54)) end)::integer as sec
	from (
		select j, ch, k,
			case when k in ('campaign_response', 'callback') and ch = 'phone' then 'out'
			     when k = 'note' then 'internal' else 'in' end as dir,
			demo_u(j, s + 103) as r, demo_u(j, s + 107) as tu
		from (
			select j, ch, case ch
				when 'phone' then (array['inquiry', 'complaint', 'order', 'return', 'payment', 'campaign_response',
				                         'callback', 'survey', 'note'])[demo_pick(demo_u(j, s + 102), '{44,9,18,8,5,5,4,5,2}')]
				when 'web' then (array['web_event', 'order', 'inquiry', 'return', 'payment',
				                       'survey'])[demo_pick(demo_u(j, s + 102), '{45,35,8,5,4,3}')]
				when 'email' then (array['inquiry', 'complaint', 'campaign_response', 'return', 'order',
				                         'survey'])[demo_pick(demo_u(j, s + 102), '{50,12,20,10,5,3}')]
				when 'store' then (array['visit', 'order', 'return', 'survey',
				                         'complaint'])[demo_pick(demo_u(j, s + 102), '{55,25,8,10,2}')]
				when 'mobile' then (array['web_event', 'order', 'payment', 'inquiry', 'survey',
				                          'return'])[demo_pick(demo_u(j, s + 102), '{45,35,8,5,4,3}')]
				when 'chat' then (array['inquiry', 'complaint', 'order', 'return', 'survey',
				                        'note'])[demo_pick(demo_u(j, s + 102), '{63,12,8,10,5,2}')]
				when 'mail' then (array['campaign_response', 'inquiry', 'complaint'])[demo_pick(demo_u(j, s + 102), '{50,30,20}')]
				when 'fax' then (array['order', 'inquiry'])[demo_pick(demo_u(j, s + 102), '{60,40}')]
				else (array['campaign_response', 'survey'])[demo_pick(demo_u(j, s + 102), '{70,30}')] end as k
			from (
				select j, (array['phone', 'web', 'email', 'store', 'mobile', 'chat', 'mail', 'fax',
				                 'sms'])[demo_pick(demo_u(j, s + 101), '{35,20,10,12,13,7,1.5,0.5,1}')] as ch
				from generate_series(j_lo, coalesce(j_hi, p)) as j
				offset 0) a0
			offset 0) a1
		where kinds is null or k = any (kinds)
		offset 0) a2
	offset 0) a3
offset 0
$$;

-- Progress for `ccterm-admin demo-data` (src/db/progress_notice.c): rows
-- written so far of customers + interactions, and what is being written, as
-- a notice only when someone watches (ccterm.progress = on).
create or replace function demo_progress(p_done bigint, p_total bigint, p_phase text) returns void
language plpgsql as $$
declare
	v_level text := current_setting('client_min_messages');
begin
	if current_setting('ccterm.progress', true) is distinct from 'on' then
		return;
	end if;
	perform set_config('client_min_messages', 'notice', true);
	raise notice 'ccterm-progress % % rows %', p_done, p_total, p_phase;
	perform set_config('client_min_messages', v_level, true);
end $$;

create or replace function demo_data(p_customers integer, p_interactions bigint, p_seed integer default 1)
returns void language plpgsql
set work_mem = '64MB' set maintenance_work_mem = '512MB'
set jit = off   -- compiling costs more than it saves here
as $$
declare
	n bigint := p_customers;
	p bigint := p_interactions;
	s bigint := p_seed::bigint * 1000;
	-- history: the 1096 days before today's midnight in Seoul
	v_days constant integer := 1096;
	v_anchor timestamptz := date_trunc('day', now(), 'Asia/Seoul');
	v_start timestamptz;
	v_cum float8[];
	v_house bigint;      -- household permutation multiplier, coprime to n
	v_perm bigint;       -- interaction power-law permutation multiplier, coprime to n
	v_bm bigint;         -- seed-dependent offset of the phone number bijections
	v_p1 float8; v_ph float8; v_h bigint; v_u0 float8;
	v_order_window bigint := 5000000;   -- order interactions among the newest this many get orders rows
	v_agents text[] := array['demo', 'kim.minji', 'lee.jihoon', 'park.soyeon', 'choi.dongwook',
	                         'jung.hayoung', 'kang.taeho', 'yoon.seoa', 'lim.jaehyun', 'han.yuri'];
	v_cp bigint;         -- contact_point ids are v_cp + (customer | n + customer | 2n + household + 1)
	v_role text := current_setting('session_replication_role');
	v_replica boolean := false;
	v_idx text[];        -- secondary indexes of interaction, dropped for a big load
	v_idxdef text[];
	v_def text;
	v_camp integer;
	v_lo bigint;         -- interactions are written in chunks [v_lo, v_hi], for the progress line
	v_hi bigint;
	v_chunk constant bigint := 250000;
begin
	if p_customers is null or p_customers < 1 or p_customers > 50000000 then
		raise exception 'demo_data: customers must be 1 .. 50000000' using errcode = '22023';
	end if;
	if p_interactions is null or p_interactions < 0 then
		raise exception 'demo_data: interactions must be >= 0' using errcode = '22023';
	end if;
	-- one generator at a time; the customer ids, interaction ids, order and
	-- case ids are the generator's row numbers, so it needs empty tables
	perform pg_advisory_xact_lock(7734090);
	if exists (select 1 from customer) then
		raise exception 'demo_data: database already has customers'
			using errcode = '55000', hint = 'Load demo data into an empty database (createdb; ccterm-admin migrate).';
	end if;
	-- A superuser skips the foreign-key checks of the bulk load (every key is
	-- generated consistent), unless a table has a trigger of its own that must
	-- see the rows; anyone else loads the same rows, slower.
	if (select rolsuper from pg_roles where rolname = current_user)
	   and not exists (select 1 from pg_trigger
	                   where not tgisinternal
	                     and tgrelid in ('customer'::regclass, 'customer_secret'::regclass, 'contact_point'::regclass,
	                                     'customer_contact'::regclass, 'cases'::regclass, 'orders'::regclass,
	                                     'order_line'::regclass, 'interaction'::regclass, 'alert'::regclass,
	                                     'campaign_member'::regclass)) then
		perform set_config('session_replication_role', 'replica', true);
		v_replica := true;
	end if;

	v_start := v_anchor - v_days * interval '1 day';
	v_bm := demo_mod(p_seed, 900, 80000000);
	v_house := greatest(1, (n * 0.381966)::bigint);
	while gcd(v_house, n) <> 1 loop v_house := v_house + 1; end loop;
	v_perm := greatest(1, (n * 0.618034)::bigint);
	while gcd(v_perm, n) <> 1 or v_perm = v_house loop v_perm := v_perm + 1; end loop;
	v_h := least(9, n - 1);
	v_p1 := least(0.05, 3000.0 / greatest(p, 1));
	v_ph := case when v_h > 0 then least(0.01, 1000.0 / greatest(p, 1)) * v_h else 0 end;
	v_u0 := least(0.9, sqrt(0.3 * p / n / 600.0));
	-- Daily volume: grows 3x over the three years, quieter weekends, busy
	-- Nov-Dec (sales, year-end gifts) and September (Chuseok), quiet summer.
	select array_agg(c order by d) into v_cum
	from (select d, sum(w) over (order by d) / sum(w) over () as c
	      from (select d, (1 + 2.0 * d / v_days)
	                      * case extract(isodow from day) when 7 then 0.55 when 6 then 0.8 when 1 then 1.15 else 1 end
	                      * case extract(month from day) when 11 then 1.15 when 12 then 1.25 when 9 then 1.1
	                                                     when 7 then 0.9 when 8 then 0.9 else 1 end as w
	            from (select d, (v_start at time zone 'Asia/Seoul')::date + d as day
	                  from generate_series(0, v_days - 1) d) dd) w) q
	where d < v_days - 1;

	insert into branch (code, name, region) values
		('SEL-GN', '강남점', '서울'), ('SEL-JR', '종로점', '서울'), ('BSN-HU', '해운대점', '부산'),
		('ICN-SD', '송도점', '인천'), ('DJN-DC', '대전둔산점', '대전'), ('DGU-SS', '대구수성점', '대구'),
		('GWJ-SB', '광주상무점', '광주'), ('ULS-NM', '울산남구점', '울산'), ('SUW-YT', '수원영통점', '경기'),
		('JJU-JJ', '제주점', '제주'), ('ONLINE', '온라인몰', '온라인'), ('CALL', '콜센터', '서울')
	on conflict (code) do nothing;
	insert into queue (name, sla_seconds, sla_target_pct, dnis) values
		('general', 20, 80, '+8215881234'), ('orders', 20, 80, '+8215881235'),
		('vip', 10, 90, '+8215881236'), ('complaints', 30, 80, '+8215881237')
	on conflict (name) do nothing;

	-- Customers and what hangs off them.
	insert into customer (id, external_id, name, tier, segment, branch_code, birth_date, gender, marital_status,
	                      value_won, churn_score, created_at, updated_at)
	select i, external_id, name, tier, segment, branch, birth, gender, marital, value_won, churn, created, updated
	from demo_customer_rows(n, s, v_house, v_bm, v_start, v_anchor);

	perform demo_progress(n, n + p, 'contact points');
	insert into customer_secret (customer_id, rrn)
	select i, rrn from demo_customer_rows(n, s, v_house, v_bm, v_start, v_anchor) where rrn is not null;

	select coalesce(max(id), 0) into v_cp from contact_point;
	insert into contact_point (id, kind, value)
	select id, kind, value
	from demo_customer_rows(n, s, v_house, v_bm, v_start, v_anchor) r,
	     lateral (values (v_cp + r.i, 'phone', r.mobile), (v_cp + n + r.i, 'email', r.email),
	                     (v_cp + 2 * n + r.house + 1, 'phone', case when r.house_pos = 0 then r.landline end)) v(id, kind, value)
	where value is not null;

	insert into customer_contact (customer_id, contact_point_id, label, is_primary)
	select r.i, id, label, prim
	from demo_customer_rows(n, s, v_house, v_bm, v_start, v_anchor) r,
	     lateral (values (v_cp + r.i, 'mobile', true, true), (v_cp + n + r.i, 'email', true, r.email is not null),
	                     (v_cp + 2 * n + r.house + 1, 'home', false, r.house is not null)) v(id, label, prim, present)
	where present;

	perform demo_progress(n, n + p, 'cases and orders');
	-- Cases opened by complaints (40 %) and returns (15 %); the case id is the
	-- interaction id.  Old ones are mostly closed, a few are left open (overdue).
	insert into cases (id, customer_id, kind, subject, status, priority, owner_login, opened_at, due_at, closed_at)
	select j, c, k, demo_subject(k, reason, j, s, prod, null, null), status, priority,
		case when status = 'escalated' then 'super'
		     when demo_u(j, s + 117) < 0.25 then 'demo' else v_agents[2 + demo_mod(j, s + 118, 9)] end,
		t + interval '4 minutes', t + sla,
		case when status = 'closed' then least(t + (0.1 + 1.2 * demo_u(j, s + 119)) * sla, v_anchor) end
	from (select j, c, k, t, reason, prod, status, priority,
	             case priority when 'urgent' then interval '24 hours' when 'high' then interval '48 hours'
	                           when 'normal' then interval '72 hours' else interval '168 hours' end as sla
	      from (select j, c, k, t, demo_reason(k, j, s) as reason, 1 + demo_mod(j, s + 113, 30) as prod,
	                   demo_case_status(j, s, v_days - day) as status,
	                   demo_case_priority(j, s, demo_tier(c, s)) as priority
	            from demo_interaction_rows(n, p, s, v_perm, v_u0, v_p1, v_ph, v_h, v_cum, v_start,
	                                       '{complaint,return}') r
	            where demo_has_case(k, j, s)
	            offset 0) x
	      offset 0) y;

	-- Orders, with the id of their interaction, for order interactions among the
	-- newest v_order_window interactions (all of them in a demo-sized load).
	insert into orders (id, order_no, customer_id, ordered_at, channel, status, total_won, branch_code)
	select j, demo_order_no(j, t), c, t, ch, demo_order_status(j, s, v_days - day), demo_order_total(j, s),
		case ch when 'store' then demo_store_branch(c, j, n, s, v_house) when 'phone' then 'CALL' else 'ONLINE' end
	from demo_interaction_rows(n, p, s, v_perm, v_u0, v_p1, v_ph, v_h, v_cum, v_start, '{order}') r
	where j > p - v_order_window;

	insert into order_line (order_id, line_no, sku, name, qty, price_won)
	select j, l, demo_sku(prod), demo_product(prod), demo_line_qty(j, l, s), demo_price(prod)
	from (select j, l, demo_line_prod(j, l, s) as prod
	      from demo_interaction_rows(n, p, s, v_perm, v_u0, v_p1, v_ph, v_h, v_cum, v_start, '{order}') r
	           cross join lateral generate_series(1, demo_nlines(r.j, s)) as l
	      where j > p - v_order_window
	      offset 0) x;

	-- Interactions.  For a big load the secondary indexes are dropped and built
	-- again afterwards (a sorted build beats 20 M random inserts); their
	-- definitions are taken from the catalog, so they come back unchanged.
	if p >= 200000 and pg_has_role((select relowner from pg_class where oid = 'interaction'::regclass), 'MEMBER') then
		select array_agg(i.indexrelid::regclass::text order by i.indexrelid),
		       array_agg(pg_get_indexdef(i.indexrelid) order by i.indexrelid) into v_idx, v_idxdef
		from pg_index i
		where i.indrelid = 'interaction'::regclass
		  and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid);
		foreach v_def in array coalesce(v_idx, '{}') loop
			execute 'drop index ' || v_def;
		end loop;
	end if;

	-- (the statement in the loop keeps its old indentation: one chunk of j a turn)
	perform demo_progress(n, n + p, 'interactions');
	v_lo := 1;
	while v_lo <= p loop
		v_hi := least(p, v_lo + v_chunk - 1);
	insert into interaction (id, customer_id, occurred_at, channel, direction, kind, subject, body, amount_won,
	                         status, score, reason_code, disposition, agent_login, branch_code, case_id, order_id,
	                         created_at)
	select j, c, t, ch, dir, k,
		demo_subject(k, reason, j, s, prod, score, case when k = 'order' then demo_order_no(j, t) end),
		demo_body(k, reason, j, s, prod, score),
		case k when 'order' then demo_order_total(j, s)
		       when 'payment' then 10000 + 1000 * demo_mod(j, s + 172, 490)::bigint
		       when 'return' then demo_price(prod) end,
		case k when 'order' then demo_order_status(j, s, v_days - day)
		       when 'complaint' then case when has_case then demo_case_status(j, s, v_days - day) else 'resolved' end
		       when 'return' then case when has_case then demo_case_status(j, s, v_days - day) else 'refunded' end
		       when 'inquiry' then 'resolved' end,
		score, reason,
		case when agent is null or k in ('survey', 'note', 'visit') then null
		     when has_case then 'escalated'
		     when k = 'inquiry' then (array['resolved', 'info_sent', 'callback', 'no_action'])[demo_pick(demo_u(j, s + 173), '{70,20,7,3}')]
		     when k = 'complaint' then (array['resolved', 'callback', 'info_sent'])[demo_pick(demo_u(j, s + 173), '{60,20,20}')]
		     when k = 'campaign_response' then (array['resolved', 'info_sent', 'no_action'])[demo_pick(demo_u(j, s + 173), '{40,30,30}')]
		     when k = 'callback' and demo_u(j, s + 153) < 0.2 then 'callback'   -- nobody answered (see demo_body)
		     else 'resolved' end,
		agent, branch,
		case when has_case then j end,
		case when k = 'order' and j > p - v_order_window then j end,
		t + case when agent is null then interval '0' else (60 + demo_mod(j, s + 174, 600)) * interval '1 second' end
	from (select j, c, ch, dir, k, day, t, reason, prod, has_case, branch, agent,
	             case when k = 'survey' then demo_score(j, s, branch) end as score
	      from (select j, c, ch, dir, k, day, t, reason, prod, has_case,
	                   case when ch = 'store' then demo_store_branch(c, j, n, s, v_house)
	                        when k = 'survey' then case when ch in ('phone', 'chat', 'email', 'mail', 'fax') then 'CALL'
	                                                    else 'ONLINE' end end as branch,
	                   case when ch in ('phone', 'chat', 'email', 'fax') and k not in ('survey', 'web_event')
	                        then v_agents[demo_pick(demo_u(j, s + 175), '{20,9,9,9,9,9,9,9,9,8}')]
	                        when ch = 'store' and demo_u(j, s + 175) < 0.3 then 'store' end as agent
	            from (select j, c, ch, dir, k, day, t, demo_reason(k, j, s) as reason,
	                         1 + demo_mod(j, s + 113, 30) as prod, demo_has_case(k, j, s) as has_case
	                  from demo_interaction_rows(n, p, s, v_perm, v_u0, v_p1, v_ph, v_h, v_cum, v_start, null,
	                                             v_lo, v_hi) r
	                  offset 0) x
	            offset 0) y
	      offset 0) z;
		perform demo_progress(n + v_hi, n + p, 'interactions');
		v_lo := v_hi + 1;
	end loop;

	perform demo_progress(n + p, n + p, 'indexes');
	foreach v_def in array coalesce(v_idxdef, '{}') loop
		execute v_def;
	end loop;

	perform demo_progress(n + p, n + p, 'alerts, rules, campaigns');
	-- Raised alerts: agents' notes on about one customer in a hundred (churn
	-- risk, overdue payments and complaints are computed from the record, in
	-- sql/repeatable/75_warnings.sql). Ordered, so the identity ids come out the same.
	insert into alert (customer_id, kind, severity, message, raised_at)
	select id, 'note', 'info',
	       (array['오후 2시 이후 통화 선호', '문자보다 이메일 선호', '청각 보조: 천천히 또박또박', '법인 구매 담당자'])[1 + demo_mod(id, s + 41, 4)],
	       v_anchor - (86400 + demo_mod(id, s + 40, 90 * 86400)) * interval '1 second'
	from customer where demo_u(id, s + 42) < 0.01
	order by id;

	-- Next-best-offer rules, only into an empty rule table.
	if not exists (select 1 from offer_rule) then
		insert into offer_rule (name, offer, priority, tiers, segments, min_value, max_churn, min_churn, active,
		                        valid_from, valid_until) values
			('플래티넘 전용 무이자 12개월', '전 품목 12개월 무이자 할부', 10, '{platinum}', null, null, null, null, true, null, null),
			('Win-back coupon 20%', '재구매 20% 할인 쿠폰 (30일)', 20, null, null, 100000, null, 0.7, true, null, null),
			('VIP 라운지 초대', '플래티넘 라운지 및 프라이빗 세일 초대', 30, '{platinum,contracted}', null, 10000000, null, null, true, null, null),
			('Family pack 10% off', '패밀리 팩 10% 할인 쿠폰', 40, null, '{family}', null, 0.8, null, true, null, null),
			('계약 고객 포인트 2배', '이번 달 구매 포인트 2배 적립', 50, '{contracted}', null, null, null, null, true, null, null),
			('시니어 무료 배송', '주문 금액 상관없이 무료 배송', 60, null, '{senior}', null, null, null, true, null, null),
			('학생 할인 15%', '학생 인증 시 15% 할인', 70, null, '{student}', null, null, null, true, null, null),
			('비즈니스 대량 구매 할인', '법인 대량 구매 5% 추가 할인', 80, null, '{business}', 1000000, null, null, true, null, null),
			('신규 가입 웰컴 쿠폰', '회원 가입 시 5,000원 쿠폰', 90, '{all}', null, null, null, null, true, null, null),
			('여름 시즌 세일 (종료)', '여름 상품 30% 할인', 100, null, null, null, null, null, false,
			 (v_anchor at time zone 'Asia/Seoul')::date - 200, (v_anchor at time zone 'Asia/Seoul')::date - 140);
		-- The seed's one-to-one rules (Kookmin Bank): a single customer in their
		-- twenties sees the workers' savings first, then the lifetime account.
		insert into offer_rule (name, offer, product, priority, age_min, age_max, marital, lacks_products,
		                        no_open_complaint, tiers, r_min, has_products, channels) values
			('근로자 우대저축', '근로자 우대저축 가입 권유 (연 4.5%)', 'SAV-WORKER', 5, 20, 29, '{single}', null, false, null, null, null, null),
			('빅맨 평생통장', '빅맨 평생통장 추천 (수수료 평생 면제)', 'SAV-LIFE', 6, 20, 29, '{single}', null, false, null, null, null, null),
			('유아용품 첫 구매 쿠폰', '유아용품 첫 구매 10% 쿠폰', 'KD', 45, 28, 42, '{married}', '{KD}', true, null, null, null, null),
			('카시트 보호 커버 증정', '카시트 구매 고객 보호 커버 무료 증정', 'KD-1016', 46, null, null, null, null, true, null, null, '{KD-1016}', null),
			('단골 고객 감사 적립', '최근 구매 고객 포인트 3배 (이번 주)', null, 35, null, null, null, null, true, '{contracted,platinum}', 5, null, '{phone,store}');
	end if;

	-- Campaigns (kept when they exist) and their members.
	insert into campaign (name, offer, channel, starts, ends, active) values
		('가을 윈백 캠페인', '재구매 20% 할인 쿠폰', 'phone',
		 (v_anchor at time zone 'Asia/Seoul')::date - 45, (v_anchor at time zone 'Asia/Seoul')::date + 15, true),
		('플래티넘 감사 초대전', '프라이빗 세일 초대 및 사은품', 'mail',
		 (v_anchor at time zone 'Asia/Seoul')::date - 20, (v_anchor at time zone 'Asia/Seoul')::date + 40, true),
		('패밀리 팩 프로모션', '패밀리 팩 10% 할인', 'sms',
		 (v_anchor at time zone 'Asia/Seoul')::date - 120, (v_anchor at time zone 'Asia/Seoul')::date - 60, false)
	on conflict (name) do nothing;
	for v_camp, v_def in select id, name from campaign
	                     where name in ('가을 윈백 캠페인', '플래티넘 감사 초대전', '패밀리 팩 프로모션') order by id loop
		insert into campaign_member (campaign_id, customer_id, status, responded_at)
		select v_camp, id, st,
			case when st in ('responded', 'declined') then v_anchor - (1 + demo_mod(id, s + 42, 20)) * interval '1 day'
			                                               + demo_mod(id, s + 43, 36000) * interval '1 second' end
		from (select id, (array['targeted', 'contacted', 'responded', 'declined'])[demo_pick(demo_u(id, s + 41),
		              case v_def when '패밀리 팩 프로모션' then '{0,45,30,25}'::float8[] else '{35,40,15,10}'::float8[] end)] as st
		      from customer
		      where case v_def when '가을 윈백 캠페인' then churn_score > 0.6 and tier <> 'all'
		                       when '플래티넘 감사 초대전' then tier = 'platinum'
		                       else segment = 'family' and demo_u(id, s + 44) < 0.3 end) m
		order by id
		on conflict do nothing;
	end loop;

	-- Identity sequences continue after the explicit ids.
	perform setval(pg_get_serial_sequence(t, 'id')::regclass, m)
	from (values ('customer', (select max(id) from customer)), ('contact_point', (select max(id) from contact_point)),
	             ('interaction', (select max(id) from interaction)), ('orders', (select max(id) from orders)),
	             ('cases', (select max(id) from cases))) v(t, m)
	where m > coalesce(pg_sequence_last_value(pg_get_serial_sequence(t, 'id')::regclass), 0);

	-- E-mail reply templates (kept when they exist); inbound e-mails of cases
	-- carry a Message-ID, so a reply threads under the customer's mail.
	insert into mail_template (code, name, case_kind, subject, body) values
		('late_delivery', '배송 지연 사과', 'complaint', '[{case_no}] {customer_name}님, 배송 지연에 대해 사과드립니다',
		 E'{customer_name}님 안녕하세요.\n\n주문 {order_no} 건의 배송이 늦어져 진심으로 사과드립니다.\n' ||
		 E'사과의 뜻으로 5,000원 적립금을 드렸으며, 상품은 {due_date}까지 받아보실 수 있도록 하겠습니다.\n\n' ||
		 E'{company_name} 고객센터 {agent_name} 드림\n'),
		('damaged_goods', '파손 상품 교환', 'complaint', '[{case_no}] 파손 상품 교환 안내',
		 E'{customer_name}님, 불편을 드려 죄송합니다.\n\n주문 {order_no} 건의 파손 상품은 새 상품으로 교환해 드립니다.\n' ||
		 E'택배 기사가 방문하여 회수하며, 회수 비용은 저희가 부담합니다.\n\n{company_name} 고객센터 {agent_name} 드림\n'),
		('answer', '문의 답변', null, '[{case_no}] 문의하신 내용에 대한 답변입니다',
		 E'{customer_name}님 안녕하세요.\n\n문의하신 "{case_subject}"에 대해 답변드립니다.\n\n\n' ||
		 E'더 궁금하신 점은 이 메일에 회신해 주세요.\n{company_name} 고객센터 {agent_name} 드림\n'),
		('answer_en', 'Answer (English)', null, 'Re: your case {case_no}',
		 E'Dear {customer_name},\n\nThank you for contacting us about "{case_subject}".\n\n\n' ||
		 E'Kind regards,\n{agent_name}, {company_name} customer service\n')
	on conflict do nothing;
	update interaction set message_id = format('<demo.%s@mail.customer.example>', id)
	where channel = 'email' and direction = 'in' and case_id is not null and message_id is null;

	-- A running outbound campaign planned as a supervisor does (a segment, a
	-- script, 10 % held out), with a week of calls: about a third of the list
	-- tried, some call-backs still due (some of them the demo agent's).
	if not exists (select 1 from campaign where name = '겨울 적금 아웃바운드') then
		v_camp := campaign_save('겨울 적금 아웃바운드', '근로자 우대저축 가입 권유 (연 4.5%)', 'segment', 'young_single',
			(v_anchor at time zone 'Asia/Seoul')::date - 7, (v_anchor at time zone 'Asia/Seoul')::date + 21,
			E'안녕하세요, {customer_name}님. 국민은행 고객센터 {agent_name}입니다.\n' ||
			E'사회초년생을 위한 근로자 우대저축(연 4.5%)을 소개해 드리려고 연락드렸습니다. 잠시 통화 괜찮으실까요?\n' ||
			E'- 관심: 가입 조건(월 10~50만 원, 3년)과 우대 금리 안내 후 "수락"\n' ||
			E'- 바쁨: 편한 시간을 여쭙고 "다시 걸기"\n- 거절: 감사 인사 후 "거절"',
			10, p_seed, 14);
		perform campaign_build(v_camp);
		insert into campaign_attempt (campaign_id, customer_id, login, at, outcome, callback_at)
		select v_camp, customer_id, login, at, outcome,
			case when outcome = 'callback' then v_anchor + interval '1 day 10 hours' + demo_mod(customer_id, s + 305, 8) * interval '1 hour' end
		from (select m.customer_id,
		             (array['accepted', 'refused', 'reached', 'not_reached', 'callback'])[demo_pick(demo_u(m.customer_id, s + 300), '{15,30,25,20,10}')] as outcome,
		             v_agents[1 + demo_mod(m.customer_id, s + 301, 10)] as login,
		             v_anchor - (1 + demo_mod(m.customer_id, s + 302, 6)) * interval '1 day' + interval '9 hours'
		               + demo_mod(m.customer_id, s + 303, 28800) * interval '1 second' as at
		      from campaign_member m
		      where m.campaign_id = v_camp and not m.is_control and demo_u(m.customer_id, s + 304) < 0.35) x;
		update campaign_member m
		set attempts = 1, last_attempt_at = a.at, outcome = a.outcome,
		    contacted_at = case when a.outcome <> 'not_reached' then a.at end,
		    status = case a.outcome when 'accepted' then 'responded' when 'refused' then 'declined'
		                            when 'not_reached' then 'targeted' else 'contacted' end,
		    responded_at = case when a.outcome = 'accepted' then a.at end,
		    callback_at = a.callback_at, owner_login = case when a.outcome = 'callback' then a.login end,
		    next_at = case a.outcome when 'callback' then a.callback_at when 'not_reached' then a.at + interval '2 hours' end,
		    done_at = case when a.outcome in ('accepted', 'refused', 'reached') then a.at end
		from campaign_attempt a
		where a.campaign_id = v_camp and m.campaign_id = v_camp and m.customer_id = a.customer_id;
		insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, status, agent_login, branch_code)
		select a.customer_id, a.at, 'phone', 'out', 'campaign_response', '겨울 적금 아웃바운드: ' || a.outcome, a.outcome,
		       a.login, 'CALL'
		from campaign_attempt a where a.campaign_id = v_camp and a.outcome <> 'not_reached';
		-- Responses, so the board has figures: most who accepted sign up within
		-- two days (an inbound reply on the web), a few of the others too; the
		-- control group only answers through the orders it places anyway.
		insert into interaction (customer_id, occurred_at, channel, direction, kind, subject, branch_code)
		select m.customer_id,
		       least(m.contacted_at + interval '3 hours' + demo_mod(m.customer_id, s + 306, 150000) * interval '1 second',
		             v_anchor - interval '10 minutes'),
		       'web', 'in', 'campaign_response', '근로자 우대저축 가입 신청', null
		from campaign_member m
		where m.campaign_id = v_camp and m.contacted_at is not null
		  and demo_u(m.customer_id, s + 307) < case m.outcome when 'accepted' then 0.7 else 0.06 end;
	end if;

	if v_replica then
		perform set_config('session_replication_role', v_role, true);
	end if;
	-- Fresh statistics now rather than when autovacuum gets round to it (a
	-- non-owner may not analyze; autovacuum will).
	for v_def in select c.oid::regclass::text from pg_class c
	             where c.oid = any ('{branch,customer,customer_secret,contact_point,customer_contact,orders,order_line,
	                                 cases,interaction,alert,offer_rule,campaign,campaign_member,queue}'::regclass[])
	               and pg_has_role(c.relowner, 'MEMBER')
	             order by 1 loop
		execute 'analyze ' || v_def;
	end loop;
end $$;

-- Only administrators load demo data.

/* pop_seal.c - opening a pop sealed into a NOTIFY (pop_seal.h), with
 * nettle: the library GnuTLS is built on, which libpq's libldap already
 * maps into every console, so the seal costs no new library. */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>

#include "ccterm/pop_seal.h"

#define IV_LEN AES_BLOCK_SIZE
#define MAC_LEN SHA256_DIGEST_SIZE
#define SEALED_MAX 8000   /* NOTIFY's limit: nothing longer is a payload */

/* Standard base64 with its padding, nothing else (the database's
 * encode(..., 'base64') without its newlines). Table-driven: nettle's
 * decoder takes a call per character, ~80 us for a full seal, before the
 * frame. */
static int base64_read(const char *text, size_t n, uint8_t *out, size_t *outlen)
{
	static int8_t value[256];
	static bool ready;
	size_t o = 0, pad = 0;

	if (!ready) {
		static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

		memset(value, -1, sizeof(value));
		for (int i = 0; i < 64; i++)
			value[(unsigned char)abc[i]] = (int8_t)i;
		ready = true;
	}
	if (n % 4 != 0)
		return -1;
	if (n >= 1 && text[n - 1] == '=')
		pad = n >= 2 && text[n - 2] == '=' ? 2 : 1;
	for (size_t i = 0; i < n; i += 4) {
		bool last = i + 4 == n;
		int8_t a = value[(unsigned char)text[i]], b = value[(unsigned char)text[i + 1]],
		       c = last && pad == 2 ? 0 : value[(unsigned char)text[i + 2]],
		       d = last && pad ? 0 : value[(unsigned char)text[i + 3]];
		uint32_t v;

		if ((a | b | c | d) < 0)
			return -1;
		v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | (uint32_t)d;
		out[o++] = (uint8_t)(v >> 16);
		if (!(last && pad == 2))
			out[o++] = (uint8_t)(v >> 8);
		if (!(last && pad))
			out[o++] = (uint8_t)v;
	}
	*outlen = o;
	return 0;
}

int pop_unseal(const unsigned char key[POP_KEY_LEN], const char *sealed, char **plain, size_t *len)
{
	size_t n = sealed ? strnlen(sealed, SEALED_MAX) : SEALED_MAX;
	uint8_t raw[SEALED_MAX / 4 * 3], mac[MAC_LEN], iv[IV_LEN];
	struct hmac_sha256_ctx hmac;
	struct aes256_ctx aes;
	size_t rawlen, ctlen;
	uint8_t *out;
	unsigned pad;

	*plain = NULL;
	*len = 0;
	if (n == 0 || n >= SEALED_MAX || base64_read(sealed, n, raw, &rawlen) < 0)
		return -1;
	/* an IV, at least one block, a whole number of blocks, the MAC */
	if (rawlen < IV_LEN + AES_BLOCK_SIZE + MAC_LEN || (rawlen - IV_LEN - MAC_LEN) % AES_BLOCK_SIZE != 0)
		return -1;
	ctlen = rawlen - IV_LEN - MAC_LEN;
	hmac_sha256_set_key(&hmac, 32, key + 32);
	hmac_sha256_update(&hmac, IV_LEN + ctlen, raw);
	hmac_sha256_digest(&hmac, MAC_LEN, mac);
	if (!memeql_sec(mac, raw + IV_LEN + ctlen, MAC_LEN))
		return -1;
	if (!(out = malloc(ctlen + 1)))
		return -1;
	memcpy(iv, raw, IV_LEN);
	aes256_set_decrypt_key(&aes, key);
	cbc_decrypt(&aes, (nettle_cipher_func *)aes256_decrypt, AES_BLOCK_SIZE, iv, ctlen, out, raw + IV_LEN);
	/* PKCS#7: the MAC held, so the padding is the database's own */
	pad = out[ctlen - 1];
	if (pad == 0 || pad > AES_BLOCK_SIZE) {
		free(out);
		return -1;
	}
	for (unsigned i = 1; i <= pad; i++)
		if (out[ctlen - i] != pad) {
			free(out);
			return -1;
		}
	*len = ctlen - pad;
	out[*len] = '\0';
	*plain = (char *)out;
	return 0;
}

/* syncer.c - the journal's sync thread (syncer.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include "syncer.h"

#define SYNCER_STACK (64 * 1024)        /* the thread calls one function */

static void *syncer_main(void *arg)
{
	struct syncer *sy = arg;

	int (*fn)(int);
	int fd, rc, err;

	pthread_mutex_lock(&sy->mu);
	for (;;) {
		while (!sy->todo && !sy->quit)
			pthread_cond_wait(&sy->cv, &sy->mu);
		if (!sy->todo)
			break;
		fd = sy->fd;
		fn = sy->fn;
		pthread_mutex_unlock(&sy->mu);
		rc = fn(fd);
		err = rc < 0 ? errno : 0;
		pthread_mutex_lock(&sy->mu);
		sy->rc = rc;
		sy->err = err;
		sy->todo = false;
		sy->done = true;
		pthread_cond_broadcast(&sy->cv);
	}
	pthread_mutex_unlock(&sy->mu);
	return NULL;
}

/* Every signal blocked in the thread: they are the loop's (SIGWINCH,
 * SIGHUP, ... must interrupt its poll()). */
int syncer_start(struct syncer *sy)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int rc;

	if (sy->running)
		return 0;
	if ((rc = pthread_mutex_init(&sy->mu, NULL)) != 0)
		goto fail;
	if ((rc = pthread_cond_init(&sy->cv, NULL)) != 0) {
		pthread_mutex_destroy(&sy->mu);
		goto fail;
	}
	sy->todo = sy->done = sy->quit = false;
	sy->fd = -1;
	sigfillset(&all);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, SYNCER_STACK > PTHREAD_STACK_MIN ? SYNCER_STACK : PTHREAD_STACK_MIN);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&sy->thread, &attr, syncer_main, sy);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (rc != 0) {
		pthread_cond_destroy(&sy->cv);
		pthread_mutex_destroy(&sy->mu);
		goto fail;
	}
	sy->running = true;
	return 0;
fail:
	errno = rc;
	return -1;
}

void syncer_stop(struct syncer *sy)
{
	if (!sy->running)
		return;
	pthread_mutex_lock(&sy->mu);
	sy->quit = true;
	pthread_cond_broadcast(&sy->cv);
	pthread_mutex_unlock(&sy->mu);
	pthread_join(sy->thread, NULL);
	pthread_cond_destroy(&sy->cv);
	pthread_mutex_destroy(&sy->mu);
	sy->running = false;
}

void syncer_hand(struct syncer *sy, int fd, int (*fn)(int fd))
{
	pthread_mutex_lock(&sy->mu);
	sy->fd = fd;
	sy->fn = fn;
	sy->todo = true;
	sy->done = false;
	pthread_cond_broadcast(&sy->cv);
	pthread_mutex_unlock(&sy->mu);
}

bool syncer_failed(struct syncer *sy)
{
	bool failed;

	pthread_mutex_lock(&sy->mu);
	failed = sy->done && sy->rc < 0;
	pthread_mutex_unlock(&sy->mu);
	return failed;
}

bool syncer_take(struct syncer *sy, bool wait, int *rc, int *err)
{
	pthread_mutex_lock(&sy->mu);
	while (wait && !sy->done)
		pthread_cond_wait(&sy->cv, &sy->mu);
	if (!sy->done) {
		pthread_mutex_unlock(&sy->mu);
		return false;
	}
	*rc = sy->rc;
	*err = sy->err;
	sy->done = false;
	close(sy->fd);
	sy->fd = -1;
	pthread_mutex_unlock(&sy->mu);
	return true;
}

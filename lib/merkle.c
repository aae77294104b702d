/*
 * merkle.c: the RFC 6962 Merkle tree hash over SHA-256, computed
 * incrementally with one hash per level (O(log n) memory, no leaves
 * kept), and the check of an RFC 6962 inclusion proof.
 */
#include "internal.h"

#include <sodium.h>

#include <stdlib.h>
#include <string.h>

#define HASH TL_MERKLE_HASH_BYTES

/*
 * After n leaves, level k holds the root of a complete subtree of 2^k
 * leaves exactly when bit k of n is set: appending a leaf is adding one
 * to a binary counter, and each carry merges two subtrees into a node.
 */
struct tl_merkle {
	uint64_t size;
	tl_sha256 *h; /* reused for every hash; a failure sticks to it */
	unsigned char level[64][HASH];
};

/* Errors are kept in `h` (tl_sha256_ok): the hashes of a tree are checked
 * once, when its root is taken. */
static void
hash_node(tl_sha256 *h, const unsigned char *left, const unsigned char *right,
    unsigned char out[HASH])
{
	static const unsigned char one = 0x01;

	tl_sha256_reset(h);
	tl_sha256_update(h, &one, 1);
	tl_sha256_update(h, left, HASH);
	tl_sha256_update(h, right, HASH);
	tl_sha256_digest(h, out);
}

static void
hash_leaf(tl_sha256 *h, const void *leaf, size_t len, unsigned char out[HASH])
{
	static const unsigned char zero = 0x00;

	tl_sha256_reset(h);
	tl_sha256_update(h, &zero, 1);
	tl_sha256_update(h, leaf, len);
	tl_sha256_digest(h, out);
}

tl_status
tl_merkle_leaf_hash(const void *leaf, size_t len, unsigned char out[HASH])
{
	tl_sha256 *h;
	tl_status st;

	memset(out, 0, HASH);
	if ((st = tl_sha256_begin(&h)) != TL_OK)
		return st;
	hash_leaf(h, leaf, len, out);
	st = tl_sha256_ok(h) ? TL_OK : TL_ECRYPTO;
	tl_sha256_free(h);
	return st;
}

tl_merkle *
tl_merkle_new(void)
{
	tl_merkle *m = calloc(1, sizeof(tl_merkle));

	if (m && tl_sha256_begin(&m->h) != TL_OK) {
		free(m);
		return NULL;
	}
	return m;
}

void
tl_merkle_add(tl_merkle *m, const void *leaf, size_t len)
{
	unsigned char h[HASH];
	unsigned k = 0;

	hash_leaf(m->h, leaf, len, h);
	/* Carry: while level k is occupied, merge it (the left, older
	 * subtree) with the new one and move up. */
	while (m->size >> k & 1) {
		hash_node(m->h, m->level[k], h, h);
		k++;
	}
	memcpy(m->level[k], h, HASH);
	m->size++;
}

uint64_t
tl_merkle_size(const tl_merkle *m)
{
	return m->size;
}

tl_status
tl_merkle_root(const tl_merkle *m, unsigned char root[HASH])
{
	unsigned char acc[HASH];
	bool have = false;
	unsigned k;

	if (m->size == 0) {
		tl_sha256_reset(m->h);
		tl_sha256_digest(m->h, root);
		return tl_sha256_ok(m->h) ? TL_OK : TL_ECRYPTO;
	}
	/* RFC 6962 splits n leaves at the largest power of two below n, so
	 * the root folds the complete subtrees from the smallest (rightmost)
	 * up: acc = node(bigger subtree, acc). */
	for (k = 0; k < 64; k++) {
		if (!(m->size >> k & 1))
			continue;
		if (!have) {
			memcpy(acc, m->level[k], HASH);
			have = true;
		} else
			hash_node(m->h, m->level[k], acc, acc);
	}
	if (!tl_sha256_ok(m->h)) {
		memset(root, 0, HASH);
		return TL_ECRYPTO;
	}
	memcpy(root, acc, HASH);
	return TL_OK;
}

void
tl_merkle_free(tl_merkle *m)
{
	if (m == NULL)
		return;
	tl_sha256_free(m->h);
	free(m);
}

tl_status
tl_merkle_verify_inclusion(const unsigned char leaf_hash[HASH],
    uint64_t index, uint64_t size, const unsigned char (*path)[HASH],
    size_t npath, const unsigned char root[HASH])
{
	unsigned char r[HASH];
	uint64_t fn = index, sn;
	size_t i;
	tl_sha256 *h;
	tl_status st = TL_OK;

	if (index >= size)
		return TL_EVERIFY;
	if ((st = tl_sha256_begin(&h)) != TL_OK)
		return st;
	sn = size - 1;
	memcpy(r, leaf_hash, HASH);
	/* RFC 9162 section 2.1.3.2: walk up from the leaf; fn is the node's
	 * index on its level, sn the last index on that level. */
	for (i = 0; i < npath && st == TL_OK; i++) {
		if (sn == 0) {
			st = TL_EVERIFY;
			break;
		}
		if ((fn & 1) || fn == sn) {
			hash_node(h, path[i], r, r);
			/* A right edge without a sibling: climb to the
			 * level where this node is a right child. */
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			hash_node(h, r, path[i], r);
		fn >>= 1;
		sn >>= 1;
	}
	if (st == TL_OK && !tl_sha256_ok(h))
		st = TL_ECRYPTO;
	else if (st == TL_OK && (sn != 0 || sodium_memcmp(r, root, HASH) != 0))
		st = TL_EVERIFY;
	tl_sha256_free(h);
	return st;
}

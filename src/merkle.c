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
	unsigned char level[64][HASH];
};

/* crypto_hash_sha256_* cannot fail: their int result is always 0 and is
 * not a status to convert. */
static void
node_hash(const unsigned char *left, const unsigned char *right,
    unsigned char out[HASH])
{
	static const unsigned char one = 0x01;
	crypto_hash_sha256_state hs;

	crypto_hash_sha256_init(&hs);
	crypto_hash_sha256_update(&hs, &one, 1);
	crypto_hash_sha256_update(&hs, left, HASH);
	crypto_hash_sha256_update(&hs, right, HASH);
	crypto_hash_sha256_final(&hs, out);
}

void
tl_merkle_leaf_hash(const void *leaf, size_t len, unsigned char out[HASH])
{
	static const unsigned char zero = 0x00;
	crypto_hash_sha256_state hs;

	crypto_hash_sha256_init(&hs);
	crypto_hash_sha256_update(&hs, &zero, 1);
	crypto_hash_sha256_update(&hs, leaf, len);
	crypto_hash_sha256_final(&hs, out);
}

tl_merkle *
tl_merkle_new(void)
{
	return calloc(1, sizeof(tl_merkle));
}

void
tl_merkle_add(tl_merkle *m, const void *leaf, size_t len)
{
	unsigned char h[HASH];
	unsigned k = 0;

	tl_merkle_leaf_hash(leaf, len, h);
	/* Carry: while level k is occupied, merge it (the left, older
	 * subtree) with the new one and move up. */
	while (m->size >> k & 1) {
		node_hash(m->level[k], h, h);
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

void
tl_merkle_root(const tl_merkle *m, unsigned char root[HASH])
{
	unsigned char acc[HASH];
	bool have = false;
	unsigned k;

	if (m->size == 0) {
		crypto_hash_sha256(root, (const unsigned char *)"", 0);
		return;
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
			node_hash(m->level[k], acc, acc);
	}
	memcpy(root, acc, HASH);
}

void
tl_merkle_free(tl_merkle *m)
{
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

	if (index >= size)
		return TL_EVERIFY;
	sn = size - 1;
	memcpy(r, leaf_hash, HASH);
	/* RFC 9162 section 2.1.3.2: walk up from the leaf; fn is the node's
	 * index on its level, sn the last index on that level. */
	for (i = 0; i < npath; i++) {
		if (sn == 0)
			return TL_EVERIFY;
		if ((fn & 1) || fn == sn) {
			node_hash(path[i], r, r);
			/* A right edge without a sibling: climb to the
			 * level where this node is a right child. */
			while (!(fn & 1) && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else
			node_hash(r, path[i], r);
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0 || sodium_memcmp(r, root, HASH) != 0)
		return TL_EVERIFY;
	return TL_OK;
}

pragma circom 2.2.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "./lib/chunk-merkle-root.circom";

// Chunk(N_USERS, BALANCE_BITS): one leaf-level chunk of the solvency tree (protocol.md §3, §4, §6).
// Inputs (all private):
//   userCommit[N_USERS]  P(id, salt) of each user, or the padding commitment
//   balance[N_USERS]     each user's liability in minor units (padding: 0)
//   sumSalt              salt of the chunk's sum commitment
// Outputs (public, in this order): root, sumCommit
//   leaf_i    = P(userCommit[i], balance[i])
//   root      = ChunkMerkleRoot(leaf_0 .. leaf_{N-1})   (16-ary, then one r-ary level)
//   sumCommit = P(sum balance[i], sumSalt)
// Checks: every balance[i] is in [0, 2^BALANCE_BITS) (Num2Bits), so the sum cannot wrap the field
// (it is < N_USERS * 2^BALANCE_BITS).
// Caller must enforce: N_USERS is 16^a * r with r in {1, 2, 4, 8}; the chunk sum fits in the
// aggregation's SUM_BITS (guaranteed when log2(N_USERS) + BALANCE_BITS <= SUM_BITS; the Aggregate
// circuit re-checks it); sumSalt is secret and fresh per snapshot.
template Chunk(N_USERS, BALANCE_BITS) {
    signal input userCommit[N_USERS];
    signal input balance[N_USERS];
    signal input sumSalt;
    signal output root;
    signal output sumCommit;

    assert(BALANCE_BITS >= 1 && BALANCE_BITS <= 200);
    assert(N_USERS >= 1 && N_USERS <= 65536);

    component range[N_USERS];
    component leaf[N_USERS];
    component tree = ChunkMerkleRoot(N_USERS);
    var sum = 0;
    for (var i = 0; i < N_USERS; i++) {
        range[i] = Num2Bits(BALANCE_BITS);
        range[i].in <== balance[i];
        leaf[i] = Poseidon(2);
        leaf[i].inputs[0] <== userCommit[i];
        leaf[i].inputs[1] <== balance[i];
        tree.leaves[i] <== leaf[i].out;
        sum += balance[i];
    }
    root <== tree.root;

    component commit = Poseidon(2);
    commit.inputs[0] <== sum;
    commit.inputs[1] <== sumSalt;
    sumCommit <== commit.out;
}

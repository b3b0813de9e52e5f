pragma circom 2.2.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";

// NaiveMerkleSum(N_USERS, BALANCE_BITS): the naive baseline for the constraint benchmark only
// (scripts/bench-constraints.ts); not part of the protocol.
// A binary Merkle-sum tree: leaf = P(id, balance, salt); node = P(leftHash, leftSum, rightHash,
// rightSum) with sum = leftSum + rightSum range checked at every node (Num2Bits(BALANCE_BITS + h)
// at height h, the tightest sound width).
// Inputs (private): id[N_USERS], balance[N_USERS], salt[N_USERS].
// Outputs: root, total.
// Checks: every balance is in [0, 2^BALANCE_BITS); every node sum fits its width.
// Caller must enforce: N_USERS is a power of two.
template NaiveMerkleSum(N_USERS, BALANCE_BITS) {
    signal input id[N_USERS];
    signal input balance[N_USERS];
    signal input salt[N_USERS];
    signal output root;
    signal output total;

    var levels = 0;
    var w = 1;
    while (w < N_USERS) {
        w = w * 2;
        levels++;
    }
    assert(w == N_USERS);

    // Heap layout: node i has children 2i + 1 and 2i + 2; leaves at N_USERS - 1 .. 2 N_USERS - 2.
    signal hash[2 * N_USERS - 1];
    signal sum[2 * N_USERS - 1];
    component leafRange[N_USERS];
    component leafHash[N_USERS];
    for (var i = 0; i < N_USERS; i++) {
        leafRange[i] = Num2Bits(BALANCE_BITS);
        leafRange[i].in <== balance[i];
        leafHash[i] = Poseidon(3);
        leafHash[i].inputs[0] <== id[i];
        leafHash[i].inputs[1] <== balance[i];
        leafHash[i].inputs[2] <== salt[i];
        hash[N_USERS - 1 + i] <== leafHash[i].out;
        sum[N_USERS - 1 + i] <== balance[i];
    }

    component nodeHash[N_USERS - 1];
    component nodeRange[N_USERS - 1];
    var first = N_USERS - 1;
    for (var h = 1; h <= levels; h++) {
        var width = N_USERS >> h;
        first = first - width;
        for (var j = 0; j < width; j++) {
            var n = first + j;
            nodeHash[n] = Poseidon(4);
            nodeHash[n].inputs[0] <== hash[2 * n + 1];
            nodeHash[n].inputs[1] <== sum[2 * n + 1];
            nodeHash[n].inputs[2] <== hash[2 * n + 2];
            nodeHash[n].inputs[3] <== sum[2 * n + 2];
            hash[n] <== nodeHash[n].out;
            sum[n] <== sum[2 * n + 1] + sum[2 * n + 2];
            nodeRange[n] = Num2Bits(BALANCE_BITS + h);
            nodeRange[n].in <== sum[n];
        }
    }
    root <== hash[0];
    total <== sum[0];
}

pragma circom 2.2.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";

// Aggregate(N_CHILDREN, SUM_BITS): one aggregation node of the solvency tree (protocol.md §5, §6).
// Inputs:
//   public:  childRoot[N_CHILDREN], childSumCommit[N_CHILDREN]   (declared in this order)
//   private: childSum[N_CHILDREN], childSumSalt[N_CHILDREN], sumSalt
// Outputs (public, before the public inputs): root, sumCommit
//   root      = P(childRoot[0], ..., childRoot[N_CHILDREN - 1])
//   sumCommit = P(sum childSum[i], sumSalt)
// Public signals: [root, sumCommit, childRoot[0..K-1], childSumCommit[0..K-1]].
// Checks: P(childSum[i], childSumSalt[i]) == childSumCommit[i]; every childSum[i] and the sum are
// in [0, 2^SUM_BITS).
// Caller must enforce: each childRoot/childSumCommit is the output of a verified Chunk or Aggregate
// proof of the level below, or the padding child (root 0, sumCommit P(0, 0)) and only past the end
// of that level; sumSalt is secret and fresh per snapshot.
template Aggregate(N_CHILDREN, SUM_BITS) {
    signal input childRoot[N_CHILDREN];
    signal input childSumCommit[N_CHILDREN];
    signal input childSum[N_CHILDREN];
    signal input childSumSalt[N_CHILDREN];
    signal input sumSalt;
    signal output root;
    signal output sumCommit;

    assert(N_CHILDREN == 2 || N_CHILDREN == 4 || N_CHILDREN == 8 || N_CHILDREN == 16);
    // N_CHILDREN * 2^SUM_BITS must stay far below p so the unchecked running sum cannot wrap.
    assert(SUM_BITS >= 1 && SUM_BITS <= 240);

    component childRange[N_CHILDREN];
    component childOpen[N_CHILDREN];
    var sum = 0;
    for (var i = 0; i < N_CHILDREN; i++) {
        childRange[i] = Num2Bits(SUM_BITS);
        childRange[i].in <== childSum[i];
        childOpen[i] = Poseidon(2);
        childOpen[i].inputs[0] <== childSum[i];
        childOpen[i].inputs[1] <== childSumSalt[i];
        childOpen[i].out === childSumCommit[i];
        sum += childSum[i];
    }

    component sumRange = Num2Bits(SUM_BITS);
    sumRange.in <== sum;

    component rootHash = Poseidon(N_CHILDREN);
    rootHash.inputs <== childRoot;
    root <== rootHash.out;

    component commit = Poseidon(2);
    commit.inputs[0] <== sum;
    commit.inputs[1] <== sumSalt;
    sumCommit <== commit.out;
}

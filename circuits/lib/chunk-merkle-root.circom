pragma circom 2.2.0;

include "circomlib/circuits/poseidon.circom";

// Returns 1 when N = 16^a * r with r in {1, 2, 4, 8} (protocol.md §4), else 0.
function isChunkTreeSize(N) {
    var m = N;
    while (m > 1 && m % 16 == 0) {
        m = m \ 16;
    }
    return (N >= 1) && (m == 1 || m == 2 || m == 4 || m == 8);
}

// Poseidon16Layer(N_NODES): one 16-ary level of a chunk tree.
// Inputs:  in[16 * N_NODES], the children in index order.
// Outputs: out[N_NODES], out[j] = Poseidon(in[16j], ..., in[16j + 15]).
// Caller must enforce: nothing (pure hashing, no range assumptions).
template Poseidon16Layer(N_NODES) {
    signal input in[16 * N_NODES];
    signal output out[N_NODES];

    component node[N_NODES];
    for (var j = 0; j < N_NODES; j++) {
        node[j] = Poseidon(16);
        for (var k = 0; k < 16; k++) {
            node[j].inputs[k] <== in[16 * j + k];
        }
        out[j] <== node[j].out;
    }
}

// ChunkMerkleRoot(N_LEAVES): root of the chunk tree of protocol.md §4.
// With N_LEAVES = 16^a * r (r in {1, 2, 4, 8}) the lowest a levels have arity 16 and, when r > 1,
// one top level has arity r; node j of a level hashes children j*arity .. j*arity + arity - 1.
// N_LEAVES = 1 gives root = leaves[0].
// Inputs:  leaves[N_LEAVES], in index order.
// Outputs: root.
// Caller must enforce: nothing (pure hashing, no range assumptions).
template ChunkMerkleRoot(N_LEAVES) {
    signal input leaves[N_LEAVES];
    signal output root;

    assert(isChunkTreeSize(N_LEAVES));

    if (N_LEAVES == 1) {
        root <== leaves[0];
    } else if (N_LEAVES % 16 == 0) {
        component layer = Poseidon16Layer(N_LEAVES \ 16);
        layer.in <== leaves;
        component upper = ChunkMerkleRoot(N_LEAVES \ 16);
        upper.leaves <== layer.out;
        root <== upper.root;
    } else {
        component top = Poseidon(N_LEAVES);
        top.inputs <== leaves;
        root <== top.out;
    }
}

pragma circom 2.2.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";

// Solvency(SUM_BITS): the top proof: committed total liabilities <= public reserves (protocol.md §6).
// Inputs:
//   public, in this order: root, sumCommit, reserves, snapshotTime, currencyId, auditHeadHi,
//                          auditHeadLo, discloseTotal, disclosedTotal
//   private: total, sumSalt
// Outputs: none. Public signals: the nine public inputs, in the order above.
// Checks: P(total, sumSalt) == sumCommit; total and reserves are in [0, 2^SUM_BITS) (both range
// checked here, since circomlib's LessEqThan silently assumes SUM_BITS-bit operands);
// total <= reserves; discloseTotal in {0, 1}; disclosedTotal == discloseTotal * total.
// root, snapshotTime, currencyId, auditHeadHi, auditHeadLo are only bound by the proof (each enters
// one quadratic constraint so that it appears in the R1CS).
// Caller must enforce: root and sumCommit equal the top Aggregate proof's public outputs;
// snapshotTime, currencyId, auditHeadHi/Lo match the bundle's manifest.
template Solvency(SUM_BITS) {
    signal input root;
    signal input sumCommit;
    signal input reserves;
    signal input snapshotTime;
    signal input currencyId;
    signal input auditHeadHi;
    signal input auditHeadLo;
    signal input discloseTotal;
    signal input disclosedTotal;
    signal input total;
    signal input sumSalt;

    assert(SUM_BITS >= 1 && SUM_BITS <= 252);

    component open = Poseidon(2);
    open.inputs[0] <== total;
    open.inputs[1] <== sumSalt;
    open.out === sumCommit;

    component totalRange = Num2Bits(SUM_BITS);
    totalRange.in <== total;
    component reservesRange = Num2Bits(SUM_BITS);
    reservesRange.in <== reserves;

    component covered = LessEqThan(SUM_BITS);
    covered.in[0] <== total;
    covered.in[1] <== reserves;
    covered.out === 1;

    discloseTotal * (discloseTotal - 1) === 0;
    disclosedTotal === discloseTotal * total;

    // Pass-through public inputs: one quadratic constraint each.
    signal rootSq <== root * root;
    signal snapshotTimeSq <== snapshotTime * snapshotTime;
    signal currencyIdSq <== currencyId * currencyId;
    signal auditHeadHiSq <== auditHeadHi * auditHeadHi;
    signal auditHeadLoSq <== auditHeadLo * auditHeadLo;
}

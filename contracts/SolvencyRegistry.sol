// SPDX-License-Identifier: Apache-2.0
// zkreserve's on-chain anchor (docs/anchoring.md): a registry of solvency rounds. Each `publish` verifies
// the round's Groth16 solvency proof (protocol.md §6) with the key set's generated verifier, requires the
// snapshot time to be later than the last one recorded for that currency, and records the nine public
// signals under their protocol names together with the bundle digest (protocol.md §11).
pragma solidity 0.8.28;

/// The snarkjs Groth16 verifier of the solvency circuit (generated from the verification key).
interface ISolvencyVerifier {
    function verifyProof(
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[9] calldata pubSignals
    ) external view returns (bool);
}

contract SolvencyRegistry {
    /// One round: the solvency proof's public signals (protocol.md §6, in that order), the bundle digest,
    /// and the block that recorded it.
    struct Record {
        uint256 root;
        uint256 sumCommit;
        uint256 reserves;
        uint256 snapshotTime;
        uint256 currencyId;
        uint256 auditHeadHi;
        uint256 auditHeadLo;
        uint256 discloseTotal;
        uint256 disclosedTotal;
        bytes32 bundleDigest;
        uint256 blockNumber;
        uint256 blockTimestamp;
    }

    /// The only address that may publish (the deployer).
    address public immutable operator;
    /// The solvency verifier, generated from the key set's solvency verification key.
    ISolvencyVerifier public immutable verifier;
    /// SHA-256 of the solvency verification key file (the manifest's keys.circuits.solvency.hashes.vkey).
    bytes32 public immutable solvencyVkeyHash;

    mapping(uint256 => mapping(uint256 => Record)) private records;
    mapping(uint256 => uint256[]) private history;

    /// A round was recorded for `currencyId` at `snapshotTime` (Unix milliseconds).
    event SolvencyPublished(uint256 indexed currencyId, uint256 indexed snapshotTime, Record record);

    error NotOperator(address sender);
    error InvalidProof();
    error SnapshotNotLater(uint256 currencyId, uint256 snapshotTime, uint256 latestSnapshotTime);
    error NoRecord(uint256 currencyId, uint256 snapshotTime);

    constructor(ISolvencyVerifier verifier_, bytes32 solvencyVkeyHash_) {
        operator = msg.sender;
        verifier = verifier_;
        solvencyVkeyHash = solvencyVkeyHash_;
    }

    /// Verifies the solvency proof (a, b, c as snarkjs' Solidity calldata) of `pubSignals` and records it.
    function publish(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[9] calldata pubSignals,
        bytes32 bundleDigest
    ) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        uint256 currencyId = pubSignals[4];
        uint256 snapshotTime = pubSignals[3];
        uint256 latest = latestSnapshotTime(currencyId);
        if (snapshotTime <= latest) revert SnapshotNotLater(currencyId, snapshotTime, latest);
        if (!verifier.verifyProof(a, b, c, pubSignals)) revert InvalidProof();
        Record memory r = Record({
            root: pubSignals[0],
            sumCommit: pubSignals[1],
            reserves: pubSignals[2],
            snapshotTime: snapshotTime,
            currencyId: currencyId,
            auditHeadHi: pubSignals[5],
            auditHeadLo: pubSignals[6],
            discloseTotal: pubSignals[7],
            disclosedTotal: pubSignals[8],
            bundleDigest: bundleDigest,
            blockNumber: block.number,
            blockTimestamp: block.timestamp
        });
        records[currencyId][snapshotTime] = r;
        history[currencyId].push(snapshotTime);
        emit SolvencyPublished(currencyId, snapshotTime, r);
    }

    /// The latest snapshot time recorded for `currencyId`, 0 when none.
    function latestSnapshotTime(uint256 currencyId) public view returns (uint256) {
        uint256[] storage h = history[currencyId];
        return h.length == 0 ? 0 : h[h.length - 1];
    }

    /// The record of `currencyId` at `snapshotTime`; reverts NoRecord when there is none.
    function recordAt(uint256 currencyId, uint256 snapshotTime) public view returns (Record memory) {
        Record memory r = records[currencyId][snapshotTime];
        if (r.blockNumber == 0) revert NoRecord(currencyId, snapshotTime);
        return r;
    }

    /// The latest record of `currencyId`; reverts NoRecord when there is none.
    function latest(uint256 currencyId) external view returns (Record memory) {
        return recordAt(currencyId, latestSnapshotTime(currencyId));
    }

    /// How many rounds were recorded for `currencyId`.
    function roundCount(uint256 currencyId) external view returns (uint256) {
        return history[currencyId].length;
    }

    /// The snapshot time of round `index` (0 = first) of `currencyId`.
    function snapshotTimeAt(uint256 currencyId, uint256 index) external view returns (uint256) {
        return history[currencyId][index];
    }
}

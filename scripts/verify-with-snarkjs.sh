#!/usr/bin/env bash
# Verify a zkreserve bundle with nothing but the snarkjs CLI, jq and node (for 256-bit arithmetic).
# No zkreserve code runs. docs/verifying.md explains each step.
#
#   scripts/verify-with-snarkjs.sh <bundle-dir>
#   SNARKJS="npx snarkjs" scripts/verify-with-snarkjs.sh <bundle-dir>     (the default)
#
# Exit status: 0 when every check passes, 1 when any fails.
set -euo pipefail
B=${1:?usage: verify-with-snarkjs.sh <bundle-dir>}
SNARKJS=${SNARKJS:-npx snarkjs}
M="$B/manifest.json"
PAD=14744269619966411208579211824598458697587494354926760081771325075741142829156  # P(0, 0)
fail() { echo "FAIL: $*"; exit 1; }
pub() { jq -r ".[$2]" "$B/$1/public.json"; }       # pub <proof dir> <index>
dir_of() { jq -r --arg id "$1" '.proofs[] | select(.id == $id) | .path' "$M"; }
id_of() { printf 'L%d-%06d' "$1" "$2"; }

# 1. Every Groth16 proof verifies against the bundle's verification key for its circuit.
n=0
while IFS=$'\t' read -r kind dir; do
  $SNARKJS groth16 verify "$B/verification_keys/$kind.vkey.json" "$B/$dir/public.json" "$B/$dir/proof.json" \
    >/dev/null || fail "proof $dir does not verify"
  n=$((n + 1))
done < <(jq -r '.proofs[] | [.kind, .path] | @tsv' "$M")
echo "step 1: $n Groth16 proofs verify"

# 2. The tree is well formed: level l+1 has ceil(n_l / K) nodes, the top level has one node.
K=$(jq -r .family.aggChildren "$M")
mapfile -t LEVELS < <(jq -r '.tree.levels[]' "$M")
top=$((${#LEVELS[@]} - 1))
[ "$top" -ge 1 ] || fail "no aggregation level"
[ "${LEVELS[$top]}" -eq 1 ] || fail "top level has ${LEVELS[$top]} nodes"
for ((l = 1; l <= top; l++)); do
  want=$(((LEVELS[l - 1] + K - 1) / K))
  [ "${LEVELS[$l]}" -eq "$want" ] || fail "level $l has ${LEVELS[$l]} nodes, expected $want"
  for ((j = 0; j < LEVELS[l - 1]; j++)); do [ -n "$(dir_of "$(id_of $((l - 1)) "$j")")" ] || fail "missing proof $(id_of $((l - 1)) "$j")"; done
done
echo "step 2: tree shape ${LEVELS[*]} (K = $K) is complete"

# 3. Links: each aggregation proof's child slots equal its children's outputs, or the padding child.
for ((l = 1; l <= top; l++)); do
  for ((j = 0; j < LEVELS[l]; j++)); do
    parent=$(dir_of "$(id_of "$l" "$j")")
    for ((i = 0; i < K; i++)); do
      c=$((j * K + i))
      slotRoot=$(pub "$parent" $((2 + i)))
      slotSum=$(pub "$parent" $((2 + K + i)))
      if [ "$c" -lt "${LEVELS[$((l - 1))]}" ]; then
        child=$(dir_of "$(id_of $((l - 1)) "$c")")
        [ "$slotRoot" = "$(pub "$child" 0)" ] && [ "$slotSum" = "$(pub "$child" 1)" ] ||
          fail "$(id_of "$l" "$j") slot $i does not match $(id_of $((l - 1)) "$c")"
      else
        [ "$slotRoot" = 0 ] && [ "$slotSum" = "$PAD" ] || fail "$(id_of "$l" "$j") slot $i should be padding"
      fi
    done
  done
done
S=$(dir_of solvency)
TOP=$(dir_of "$(id_of "$top" 0)")
[ "$(pub "$S" 0)" = "$(pub "$TOP" 0)" ] && [ "$(pub "$S" 1)" = "$(pub "$TOP" 1)" ] ||
  fail "the solvency proof is not about the top aggregation"
echo "step 3: every link holds, the solvency proof covers the whole tree"

# 4. The solvency proof's public signals are the manifest's claims.
big() { node -e 'console.log(BigInt(process.argv[1]).toString())' "$1"; }
CUR=$(jq -r .currency "$M")
HEAD=$(jq -r .auditHead.hash "$M")
[ "$(pub "$S" 2)" = "$(jq -r .reserves "$M")" ] || fail "reserves differ from the manifest"
[ "$(pub "$S" 3)" = "$(jq -r .snapshotTimeMs "$M")" ] || fail "snapshot time differs from the manifest"
[ "$(pub "$S" 4)" = "$(big "0x$(printf '%s' "$CUR" | od -An -tx1 | tr -d ' \n')")" ] || fail "currency differs"
[ "$(pub "$S" 5)" = "$(big "0x${HEAD:0:32}")" ] || fail "audit head (high half) differs"
[ "$(pub "$S" 6)" = "$(big "0x${HEAD:32:32}")" ] || fail "audit head (low half) differs"
TOTAL=$(jq -r '.total // "null"' "$M")
if [ "$TOTAL" = null ]; then
  [ "$(pub "$S" 7)" = 0 ] && [ "$(pub "$S" 8)" = 0 ] || fail "total disclosed in the proof but not the manifest"
else
  [ "$(pub "$S" 7)" = 1 ] && [ "$(pub "$S" 8)" = "$TOTAL" ] || fail "disclosed total differs from the manifest"
fi
echo "step 4: reserves $(jq -r .reserves "$M"), time $(jq -r .snapshotTime "$M"), currency $CUR, audit head $HEAD"
if [ "$(jq -r .keys.insecure "$M")" = true ]; then
  echo "WARNING: INSECURE DEVELOPMENT KEYS: anyone can forge these proofs. Not evidence of solvency."
fi
echo "OK: total liabilities committed in the tree are <= reserves ($CUR, $(jq -r .snapshotTime "$M"))"

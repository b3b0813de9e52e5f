#!/usr/bin/env bash
# Verify a zkreserve bundle with nothing but the snarkjs CLI, jq and node (for 256-bit arithmetic).
# No zkreserve code runs. docs/verifying.md explains each step.
#
#   scripts/verify-with-snarkjs.sh <bundle-dir>
#   SNARKJS="npx snarkjs" scripts/verify-with-snarkjs.sh <bundle-dir>     (the default)
#
# Exit status: 0 when every check passes, 1 when any fails.
#
# The bundle is untrusted input: every value read from it is checked to be what it must be (a small
# integer, a canonical decimal, a fixed path) before the shell does arithmetic with it or opens a file
# it names. Bash arithmetic evaluates variable contents as expressions (`a[$(cmd)]` runs cmd), so no
# unchecked manifest value ever reaches $(( )).
set -euo pipefail
B=${1:?usage: verify-with-snarkjs.sh <bundle-dir>}
SNARKJS=${SNARKJS:-npx snarkjs}
M="$B/manifest.json"
PAD=14744269619966411208579211824598458697587494354926760081771325075741142829156  # P(0, 0)
fail() { echo "FAIL: $*"; exit 1; }
pub() { jq -r ".[$2]" "$B/$1/public.json"; }       # pub <proof dir> <index>
id_of() { printf 'L%d-%06d' "$1" "$2"; }
dir_of() { echo "proofs/$1"; }                     # protocol.md §7: the path is always proofs/<id>

# 0. The protocol: this script checks zkreserve/2 bundles only (protocol.md §9 step 1).
PROTO=$(jq -r '.protocol | tostring' "$M")
[ "$PROTO" = zkreserve/2 ] || fail "unsupported protocol $(printf '%q' "$PROTO")"

#    The manifest's structure, before anything else reads it: K and tree.levels are small integers, the
#    tree has the shape they imply, and the proof list is exactly that tree (kind and path fixed by the id).
K=$(jq -r '.family.aggChildren | tostring' "$M")
case "$K" in 2 | 4 | 8 | 16) ;; *) fail "family.aggChildren is not 2, 4, 8 or 16" ;; esac
jq -e '.tree.levels | type == "array" and length >= 2 and all(.[]; type == "number" and . >= 1 and . < 1e9 and . == floor)' \
  "$M" >/dev/null || fail "tree.levels is not a list of at least two positive integers"
mapfile -t LEVELS < <(jq -r '.tree.levels[] | tostring' "$M")
for n in "${LEVELS[@]}"; do [[ "$n" =~ ^[1-9][0-9]{0,8}$ ]] || fail "tree.levels holds $n"; done
top=$((${#LEVELS[@]} - 1))
[ "${LEVELS[$top]}" -eq 1 ] || fail "top level has ${LEVELS[$top]} nodes"
for ((l = 1; l <= top; l++)); do
  want=$(((LEVELS[l - 1] + K - 1) / K))
  [ "${LEVELS[$l]}" -eq "$want" ] || fail "level $l has ${LEVELS[$l]} nodes, expected $want"
  [ "$l" -eq "$top" ] || [ "${LEVELS[$l]}" -gt 1 ] || fail "level $l already has one node: the tree ends there"
done
expected_proofs() {
  local l j kind
  for ((l = 0; l <= top; l++)); do
    kind=aggregate
    [ "$l" -eq 0 ] && kind=chunk
    for ((j = 0; j < LEVELS[l]; j++)); do
      printf '%s\t%s\t%d\t%d\tproofs/%s\n' "$(id_of "$l" "$j")" "$kind" "$l" "$j" "$(id_of "$l" "$j")"
    done
  done
  printf 'solvency\tsolvency\t%d\t0\tproofs/solvency\n' "$((top + 1))"
}
[ "$(jq -r '.proofs[] | [.id, .kind, (.level | tojson), (.index | tojson), .path] | @tsv' "$M")" = "$(expected_proofs)" ] ||
  fail "the manifest's proof list is not exactly L0-000000 .. L$top-000000 then solvency, each of its own kind at proofs/<id>"

# The keys are the files the manifest hashes (compare these hashes with the ceremony's, docs/verifying.md step 0).
for kind in chunk aggregate solvency; do
  f="verification_keys/$kind.vkey.json"
  h=$(node -e 'const c=require("crypto"),fs=require("fs");console.log(c.createHash("sha256").update(fs.readFileSync(process.argv[1])).digest("hex"))' "$B/$f")
  [ "$h" = "$(jq -r --arg k "$kind" '.keys.circuits[$k].hashes.vkey' "$M")" ] || fail "$f: SHA-256 $h is not the manifest's keys.circuits.$kind.hashes.vkey"
  echo "key $kind: sha256 $h"
done

# Every public.json holds exactly nPublic canonical decimal strings (snarkjs would also read JSON numbers,
# as doubles, and jq prints them its own way; a leading zero or a sign would make string comparisons lie).
npub() { case "$1" in chunk) echo 2 ;; aggregate) echo $((2 + 2 * K)) ;; solvency) echo 9 ;; esac; }
while IFS=$'\t' read -r kind dir; do
  jq -e --argjson n "$(npub "$kind")" 'type == "array" and length == $n and all(.[]; type == "string" and test("^(0|[1-9][0-9]*)$"))' \
    "$B/$dir/public.json" >/dev/null || fail "$dir/public.json: every public signal must be a canonical decimal string, $(npub "$kind") of them"
done < <(expected_proofs | cut -f2,5)

# 1. Every Groth16 proof verifies against the bundle's verification key for its circuit.
n=0
while IFS=$'\t' read -r kind dir; do
  $SNARKJS groth16 verify "$B/verification_keys/$kind.vkey.json" "$B/$dir/public.json" "$B/$dir/proof.json" \
    >/dev/null || fail "proof $dir does not verify"
  n=$((n + 1))
done < <(expected_proofs | cut -f2,5)
echo "step 1: $n Groth16 proofs verify"

# 2. The tree is well formed: level l+1 has ceil(n_l / K) nodes, the top level has one node (checked above).
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
[[ "$HEAD" =~ ^[0-9a-f]{64}$ ]] || fail "auditHead.hash is not 64 lowercase hex digits"
[ "$(pub "$S" 2)" = "$(jq -r .reserves "$M")" ] || fail "reserves differ from the manifest"
[ "$(pub "$S" 3)" = "$(jq -r .snapshotTimeMs "$M")" ] || fail "snapshot time differs from the manifest"
ISO=$(jq -r .snapshotTime "$M")
[ "$(node -e 'console.log(new Date(Number(process.argv[1])).toISOString())' "$(pub "$S" 3)")" = "$ISO" ] ||
  fail "snapshotTime $ISO is not snapshotTimeMs $(pub "$S" 3)"
# currencyId(code, decimals) = decimals * 2^248 + the code's bytes as a big-endian integer (protocol.md §1);
# the code follows the ledger's grammar, the decimals are a small integer (built-in codes: the registry's).
[[ "$CUR" =~ ^[A-Z0-9]{1,31}$ ]] || fail "currency is not 1..31 uppercase ASCII letters or digits"
DECIMALS=$(jq -r '.decimals | tostring' "$M")
[[ "$DECIMALS" =~ ^(0|[1-9][0-9]?)$ ]] && [ "$DECIMALS" -le 36 ] || fail "decimals is not an integer in [0, 36]"
case "$CUR" in
  JPY) want_dec=0 ;; USD | EUR | GBP) want_dec=2 ;; USDC | USDT) want_dec=6 ;; BTC) want_dec=8 ;; ETH | JPYC) want_dec=18 ;;
  *) want_dec=$DECIMALS ;;
esac
[ "$DECIMALS" = "$want_dec" ] || fail "$CUR has $want_dec decimals, the manifest says $DECIMALS"
CID=$(node -e 'console.log(((BigInt(process.argv[1]) << 248n) + BigInt("0x" + Buffer.from(process.argv[2]).toString("hex"))).toString())' "$DECIMALS" "$CUR")
[ "$(jq -r .currencyId "$M")" = "$CID" ] || fail "manifest currencyId is not currencyId($CUR, $DECIMALS) = $CID"
[ "$(pub "$S" 4)" = "$CID" ] || fail "currency differs"
[ "$(pub "$S" 5)" = "$(big "0x${HEAD:0:32}")" ] || fail "audit head (high half) differs"
[ "$(pub "$S" 6)" = "$(big "0x${HEAD:32:32}")" ] || fail "audit head (low half) differs"
TOTAL=$(jq -r '.total // "null"' "$M")
if [ "$TOTAL" = null ]; then
  [ "$(pub "$S" 7)" = 0 ] && [ "$(pub "$S" 8)" = 0 ] || fail "total disclosed in the proof but not the manifest"
else
  [ "$(pub "$S" 7)" = 1 ] && [ "$(pub "$S" 8)" = "$TOTAL" ] || fail "disclosed total differs from the manifest"
fi
echo "step 4: reserves $(jq -r .reserves "$M"), time $ISO, currency $CUR ($DECIMALS decimals), audit head $HEAD"
if [ "$(jq -r .keys.insecure "$M")" != false ] || [ "$(jq -r .keys.ceremony "$M")" = insecure-dev ]; then
  echo "WARNING: INSECURE DEVELOPMENT KEYS: anyone can forge these proofs. Not evidence of solvency."
fi
echo "OK: total liabilities committed in the tree are <= reserves ($CUR, $ISO)"

// solc-js (the `solc` package) ships no types: the one call the tests make.
declare module 'solc' {
  const solc: {
    /** Standard JSON input in, standard JSON output out (docs.soliditylang.org, "Compiler Input and Output JSON"). */
    compile(input: string): string;
  };
  export default solc;
}

// Types for the parts of `des.js` (a pure-JavaScript DES, no types shipped) that vnc-auth.ts uses.
declare module 'des.js' {
  interface CipherOptions {
    type: 'encrypt' | 'decrypt';
    key: ArrayLike<number>;
    padding?: boolean;
  }
  interface Cipher {
    update(data: ArrayLike<number>): number[];
    final(data?: ArrayLike<number>): number[];
  }
  const desjs: { DES: { create(options: CipherOptions): Cipher } };
  export default desjs;
}

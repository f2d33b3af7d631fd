// fontkit 2.x ships no type declarations; the part chinese-font.ts uses.
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): unknown
}

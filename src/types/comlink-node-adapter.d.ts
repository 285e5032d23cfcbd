// comlink ships types for its Node adapter as node-adapter.d.ts, which an import of the .mjs
// file does not find on its own.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  export { default } from 'comlink/dist/esm/node-adapter';
}

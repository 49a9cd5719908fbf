/** Asset URL imports handled by Vite. */
declare module '*?url' {
  const url: string;
  export default url;
}

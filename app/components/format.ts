// Moved to app/domain/format.ts (the server formats numbers too, and may not import components).
// This re-export keeps branches written before the move compiling; import from ~/domain/format.
export { formatDuration, formatNumber } from "~/domain/format";

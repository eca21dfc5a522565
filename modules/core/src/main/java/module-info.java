/**
 * The vocabulary every Sluice module shares: the error family that knows both its HTTP status and
 * its JSON-RPC code, and (as later capabilities land) the MCP wire types, the caller's identity and
 * the tool-call pipeline contract. Depends on nothing else of Sluice.
 */
open module dev.sluice.core {
    exports dev.sluice.core;
}

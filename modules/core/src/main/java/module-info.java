/**
 * The vocabulary every Sluice module shares: JSON-RPC and MCP wire types kept close to raw JSON (a
 * gateway forwards what it does not understand), the protocol versions, the caller, the call and
 * its result, the pipeline step contract, and the error family that knows both its HTTP status and
 * its JSON-RPC code. Depends on nothing else of Sluice.
 */
open module dev.sluice.core {
    requires transitive com.fasterxml.jackson.databind;
    requires static jakarta.inject; // Step, the qualifier of the pipeline's steps

    exports dev.sluice.core;
}

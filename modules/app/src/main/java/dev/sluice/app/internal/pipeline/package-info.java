/**
 * The pipeline's assembly ({@code ToolCallPipeline}: one line per step, in the order every call
 * crosses them) and the calls it runs ({@code Calls}: each resolved once against the catalog). The
 * steps themselves live in the modules that own their concerns; nothing here implements one.
 */
package dev.sluice.app.internal.pipeline;

/**
 * The tool-call pipeline, assembled in one place ({@code ToolCallPipeline}) in the order the
 * architecture names; each step lives in the module that owns its concern.
 */
package dev.sluice.app.internal.pipeline;

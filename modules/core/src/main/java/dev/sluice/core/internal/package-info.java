/**
 * Implementation details of the core module (JSON helpers, codecs). Not exported: other modules
 * use only {@code dev.sluice.core}.
 */
package dev.sluice.core.internal;

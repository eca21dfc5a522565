/** The agents' side of the application: their tools through the pipeline, and their REST API. */
package dev.sluice.app.internal.agents;

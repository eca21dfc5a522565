package dev.sluice.agents.internal;

import dev.sluice.core.ErrorKind;
import dev.sluice.core.SluiceException;

/** A model call that may succeed when tried again: the provider was unreachable, slow, overloaded or failed. */
public class ModelUnavailableException extends SluiceException {
    private static final long serialVersionUID = 1L;

    public ModelUnavailableException(String detail, Throwable cause) {
        super(ErrorKind.MODEL_UNAVAILABLE, detail, cause);
    }
}

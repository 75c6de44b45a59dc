package io.mpcw.orchestrator.trust;

import io.mpcw.transport.pki.ClusterPki;
import io.mpcw.transport.pki.IdentityCredentials;
import java.security.cert.X509Certificate;

/** The cluster CA, this orchestrator's own credentials, and the PKI directory they came from. */
public record ClusterTrust(X509Certificate ca, IdentityCredentials identity, ClusterPki files) {}

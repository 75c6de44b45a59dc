package io.mpcw.orchestrator.config;

import io.mpcw.etcd.EtcdTlsFiles;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The files the orchestrator connects to etcd with ({@code mpcw.etcd.tls.*}); etcd authenticates it
 * by the certificate's CN. Each one left unset is the orchestrator's own in the cluster PKI
 * directory ({@code mpcw.pki.dir}), which is where {@code ./mpcw pki init} puts them.
 *
 * @param certificate env {@code MPCW_ETCD_TLS_CERTIFICATE}, default {@code <pki
 *     dir>/<mpcw.pki.identity>.crt}
 * @param privateKey env {@code MPCW_ETCD_TLS_PRIVATE_KEY}, default {@code <pki
 *     dir>/<mpcw.pki.identity>.key}
 * @param caCertificate env {@code MPCW_ETCD_TLS_CA_CERTIFICATE}, default {@code <pki dir>/ca.crt}
 */
@ConfigurationProperties("mpcw.etcd.tls")
public record EtcdTlsProperties(Path certificate, Path privateKey, Path caCertificate) {

  public EtcdTlsFiles files(Path pkiDir, String identity) {
    return EtcdTlsFiles.orDefaults(certificate, privateKey, caCertificate, pkiDir, identity);
  }
}

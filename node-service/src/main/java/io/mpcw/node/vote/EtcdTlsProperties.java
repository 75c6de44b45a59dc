package io.mpcw.node.vote;

import io.mpcw.etcd.EtcdTlsFiles;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The files this node connects to etcd with ({@code mpcw.etcd.tls.*}); etcd authenticates it by the
 * certificate's CN. Each one left unset is this node's own in the cluster PKI directory ({@code
 * mpcw.pki.dir}), which is where {@code ./mpcw pki init} puts them.
 *
 * @param certificate env {@code MPCW_ETCD_TLS_CERTIFICATE}, default {@code <pki dir>/<node id>.crt}
 * @param privateKey env {@code MPCW_ETCD_TLS_PRIVATE_KEY}, default {@code <pki dir>/<node id>.key}
 * @param caCertificate env {@code MPCW_ETCD_TLS_CA_CERTIFICATE}, default {@code <pki dir>/ca.crt}
 */
@ConfigurationProperties("mpcw.etcd.tls")
public record EtcdTlsProperties(Path certificate, Path privateKey, Path caCertificate) {

  public EtcdTlsFiles files(Path pkiDir, String identity) {
    return EtcdTlsFiles.orDefaults(certificate, privateKey, caCertificate, pkiDir, identity);
  }
}

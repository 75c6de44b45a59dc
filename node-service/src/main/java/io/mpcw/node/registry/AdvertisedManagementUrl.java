package io.mpcw.node.registry;

import io.mpcw.node.NodeProperties;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The management URL this node announces: the configured one, else loopback with the port the web
 * server actually bound (which differs from {@code server.port} when that is 0).
 */
public final class AdvertisedManagementUrl
    implements Supplier<URI>, ApplicationListener<WebServerInitializedEvent> {
  private final Optional<URI> configured;
  private final AtomicReference<URI> derived;

  AdvertisedManagementUrl(NodeProperties properties, int configuredPort) {
    this.configured = properties.configuredManagementUrl();
    this.derived = new AtomicReference<>(loopback(configuredPort));
  }

  @Override
  public void onApplicationEvent(WebServerInitializedEvent event) {
    if (event.getApplicationContext().getServerNamespace() == null) {
      derived.set(loopback(event.getWebServer().getPort()));
    }
  }

  @Override
  public URI get() {
    return configured.orElseGet(derived::get);
  }

  private static URI loopback(int port) {
    return URI.create("http://127.0.0.1:" + port);
  }
}

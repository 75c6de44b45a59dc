package io.mpcw.transport;

/** Accepts requests from authenticated peers until closed. */
public interface TransportServer extends AutoCloseable {

  /**
   * Starts serving and returns the endpoint clients should use (with the port actually bound).
   *
   * @throws TransportException of kind {@link TransportException.Kind#UNREACHABLE} if it cannot
   *     bind
   */
  Endpoint start(RequestHandler handler);

  /** Stops accepting, drops open connections and releases threads and the port. */
  @Override
  void close();
}

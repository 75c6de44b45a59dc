package io.mpcw.node.fault;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The fault switch, bound beside {@code NodeProperties} under the same prefix so it reads as {@code
 * mpcw.node.byzantine} without widening the registry's configuration.
 *
 * @param byzantine simulated fault: none, reject-all, wrong-digest, bad-signature, equivocate,
 *     silent or bad-share (signature shares that do not verify) (env {@code MPCW_NODE_BYZANTINE});
 *     refused unless the {@code fault-injection} profile is active
 */
@ConfigurationProperties("mpcw.node")
public record FaultProperties(@DefaultValue("none") ByzantineMode byzantine) {}

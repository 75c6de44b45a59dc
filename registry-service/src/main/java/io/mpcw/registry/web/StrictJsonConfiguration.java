package io.mpcw.registry.web;

import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Jackson turns {@code 7} or {@code true} into the string "7"/"true" by default; a text field given
 * a number is more likely a client bug than intent, so it is refused like any other wrong type.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {
  @Bean
  Jackson2ObjectMapperBuilderCustomizer refuseScalarsAsText() {
    return builder ->
        builder.postConfigurer(
            mapper -> {
              var textual = mapper.coercionConfigFor(LogicalType.Textual);
              textual.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
              textual.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
              textual.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
            });
  }
}

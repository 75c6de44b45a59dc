package io.mpcw.web.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSON bodies are read as documented, not as Jackson guesses: no string taken as a number or
 * boolean or the reverse, no empty string taken as null, nothing after the document, no field
 * twice, no unknown field, no NUL or lone surrogate in a string. Imported by the services that take
 * JSON bodies.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJsonConfiguration {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictJson() {
    return builder ->
        builder
            .featuresToEnable(
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .featuresToDisable(
                DeserializationFeature.ACCEPT_FLOAT_AS_INT,
                DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
                DeserializationFeature.UNWRAP_SINGLE_VALUE_ARRAYS,
                MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .modulesToInstall(
                new SimpleModule("safe-text").addDeserializer(String.class, new SafeStrings()))
            .postConfigurer(
                mapper -> {
                  mapper
                      .coercionConfigDefaults()
                      .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
                  for (LogicalType type :
                      new LogicalType[] {
                        LogicalType.Integer, LogicalType.Float, LogicalType.Boolean
                      }) {
                    var config = mapper.coercionConfigFor(type);
                    config.setCoercion(CoercionInputShape.String, CoercionAction.Fail);
                    config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
                  }
                  mapper
                      .coercionConfigFor(LogicalType.Boolean)
                      .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                  var textual = mapper.coercionConfigFor(LogicalType.Textual);
                  textual.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                  textual.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                  textual.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                });
  }

  /** Strings as Jackson reads them, refused when not {@link SafeText safe}. */
  static final class SafeStrings extends StringDeserializer {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String value = super.deserialize(p, ctxt);
      if (value != null && !SafeText.isSafe(value)) {
        throw new UnsafeTextException(p);
      }
      return value;
    }
  }
}

/** sse-service Jackson codec: messages that are not Strings are sent as JSON. */
module io.sseservice.jackson {
  requires transitive io.sseservice;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.datatype.jdk8;
  requires static transitive org.jspecify; // its @Nullable is part of the API

  exports io.sseservice.jackson;
}

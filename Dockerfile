# syntax=docker/dockerfile:1
# Sentry on GPU hosts: one image for sentry, sentry-dataset, sentry-trainer and sentry-inferencer.
#
#   docker build -t sentry .                      # builds, runs the whole test suite, packages
#   docker compose up sentry_inferencer           # dataset -> trainer -> inferencer (docker-compose.yml)
#
# No secret, key or token is ever part of an image layer: keys and the Hub token reach the
# containers as compose secrets at run time, and .dockerignore keeps them out of the build context.

ARG CUDA_VERSION=12.8.1
ARG UBUNTU=ubuntu24.04

# --- build: JDK, Maven and nvcc; the same commands as README.md's quick start --------------------
FROM nvidia/cuda:${CUDA_VERSION}-devel-${UBUNTU} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-21-jdk-headless openjdk-21-jmods maven gcc git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64
WORKDIR /src
COPY . .
# The README's test command (also what .ci/run runs), then the jars without tests.
RUN bin/sentry-test \
 && mvn -B -ntp -q -DskipTests package
# A Java runtime with only the modules Sentry and its libraries use (jdeps over every jar; see
# docs/USER_GUIDE.md, "Docker").
RUN jlink --add-modules java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.net,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-man-pages --no-header-files --output /opt/jre
# Lay out what the launchers expect under one home, without sources or build leftovers.
RUN mkdir -p /opt/sentry \
 && cp -r bin examples cufile.json /opt/sentry/ \
 && for module in sentry-cli agent-dataset agent-trainer agent-inferencer agent-keyserver; do \
      mkdir -p /opt/sentry/$module/target \
      && cp -r $module/target/*.jar $module/target/lib /opt/sentry/$module/target/; \
    done

# --- runtime: CUDA runtime, the jlinked Java, the jars; runs as an unprivileged user -------------
FROM nvidia/cuda:${CUDA_VERSION}-runtime-${UBUNTU}
COPY --from=build /opt/jre /opt/jre
COPY --from=build /opt/sentry /opt/sentry
RUN useradd --uid 10001 --create-home --shell /usr/sbin/nologin sentry \
 && mkdir -p /work \
 && chown -R sentry:sentry /work /opt/sentry/sentry-cli/target /opt/sentry/agent-dataset/target \
      /opt/sentry/agent-trainer/target /opt/sentry/agent-inferencer/target /opt/sentry/agent-keyserver/target
ENV JAVA_HOME=/opt/jre \
    PATH=/opt/sentry/bin:/opt/jre/bin:$PATH \
    SENTRY_HOME=/opt/sentry \
    CUFILE_ENV_PATH_JSON=/opt/sentry/cufile.json
USER sentry
WORKDIR /work
CMD ["sentry", "--help"]

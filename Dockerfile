# The glueaccess container image: the validator and terraform (which reads
# binary plans with terraform show -json). goreleaser builds it from the
# release binaries (.goreleaser.yml, dockers_v2), which it places at
# <os>/<arch>/glueaccess in the build context. By hand:
#   GOOS=linux GOARCH=amd64 go build -o linux/amd64/glueaccess ./cmd/glueaccess
#   docker buildx build --platform linux/amd64 -t glueaccess .
FROM hashicorp/terraform:1.11.4
ARG TARGETPLATFORM
COPY ${TARGETPLATFORM}/glueaccess /usr/local/bin/glueaccess
ENV CHECKPOINT_DISABLE=1
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/glueaccess"]
CMD ["--help"]

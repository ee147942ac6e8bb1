# The glueaccess container image: the validator and terraform (which reads
# binary plans with terraform show -json). goreleaser builds it from the
# release binary (.goreleaser.yml, dockers); by hand:
#   go build -trimpath -o glueaccess ./cmd/glueaccess && docker build -t glueaccess .
FROM hashicorp/terraform:1.11.4
COPY glueaccess /usr/local/bin/glueaccess
ENV CHECKPOINT_DISABLE=1
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/glueaccess"]
CMD ["--help"]

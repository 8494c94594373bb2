# The corpus Komposer 13-deprecation-accept and its Katalog, byte for byte, beside the web-service
# motif they import and a CRD file for the crdFile the corpus leaves out (crd-v1.yaml, kept here).
set -e
corpus="$ORK_SHARED_DIR/corpus/orkestra/ialexeze/examples/registry-guide"
mkdir -p 13-deprecation-accept 01-motifs/web-service
cp "$corpus/13-deprecation-accept/komposer.yaml" "$corpus/13-deprecation-accept/katalog.yaml" 13-deprecation-accept/
cp "$corpus/01-motifs/web-service/motif.yaml" 01-motifs/web-service/
mv crd-v1.yaml 13-deprecation-accept/

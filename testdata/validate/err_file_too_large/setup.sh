# 50 MB, generated at run time (never committed)
head -c 52428800 /dev/zero | tr '\0' '#' > big.yaml

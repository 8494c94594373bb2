# a Katalog header followed by NUL bytes
printf 'apiVersion: orkestra.orkspace.io/v1\nkind: Katalog\n\000\000\001\002' > katalog.yaml

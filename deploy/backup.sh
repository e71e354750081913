#!/bin/sh
# Chapterhouse backup: the database (pg_dump's custom format) and the uploaded files, into
# BACKUP_DIR, keeping KEEP_DAYS days. Needs DATABASE_URL and MEDIA_ROOT (the env file).
# Restore: docs/production.md, "Backups and restore".
set -eu
BACKUP_DIR=${BACKUP_DIR:-/var/backups/chapterhouse}
KEEP_DAYS=${KEEP_DAYS:-14}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
umask 077  # members' data: readable by the service account only
mkdir -p "$BACKUP_DIR"
pg_dump --format=custom --no-owner --file="$BACKUP_DIR/db-$stamp.dump.part" "$DATABASE_URL"
mv "$BACKUP_DIR/db-$stamp.dump.part" "$BACKUP_DIR/db-$stamp.dump"
if [ -d "$MEDIA_ROOT" ]; then
  tar --create --gzip --file="$BACKUP_DIR/media-$stamp.tar.gz" -C "$MEDIA_ROOT" .
fi
find "$BACKUP_DIR" -name 'db-*.dump' -mtime +"$KEEP_DAYS" -delete
find "$BACKUP_DIR" -name 'media-*.tar.gz' -mtime +"$KEEP_DAYS" -delete
echo "Backed up to $BACKUP_DIR/db-$stamp.dump"

INSERT INTO schema_migrations (version, name, checksum, applied_at)
VALUES ({version:UInt32}, {name:String}, {checksum:String}, {applied_at:DateTime64(3, 'UTC')})

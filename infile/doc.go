// Package infile reads what errprobe is given to read: files named by the
// user, a profile or a document (profiles, extends, schemas, baselines,
// certificates and keys, OpenAPI documents and their $refs) and the output
// of commands it runs (auth.token_command). A file is read only if it is a
// regular file — a FIFO, a device such as /dev/zero or a directory is
// refused with one line, never waited on — and never past a size cap;
// command output past its cap is an error too. It knows nothing of what the
// bytes mean and never prints.
package infile

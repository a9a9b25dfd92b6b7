// Package burst is the burst engine: bounded concurrent workers that send
// one request again and again (over their own keep-alive connection where
// they can) until the first 429s or the cap, keeping flat memory (counters,
// a latency histogram, per-second counts) and the rate-limit evidence. It
// never judges a check and never prints; checks turns its Result into
// results.
package burst

package burst

import (
	"io"
	"math/bits"
	"time"
)

// readCapped reads r into dst up to max bytes; truncated if more remained.
func readCapped(r io.Reader, dst []byte, max int64) ([]byte, bool) {
	for {
		if int64(len(dst)) >= max {
			var one [1]byte
			n, _ := r.Read(one[:])
			return dst[:max], n > 0
		}
		if len(dst) == cap(dst) {
			dst = append(dst, 0)[:len(dst)]
		}
		limit := cap(dst)
		if int64(limit) > max {
			limit = int(max)
		}
		n, err := r.Read(dst[len(dst):limit])
		dst = dst[:len(dst)+n]
		if err != nil {
			return dst, false
		}
	}
}

// LatencyHist is a log-linear histogram: 16 sub-buckets per power of two
// of microseconds. Each bucket also sums its samples, so a quantile is the
// mean of the real samples in the bucket it falls in (within about 6% of
// the exact order statistic), never the bucket's lower edge.
type LatencyHist struct {
	counts [64 * 16]uint32
	sums   [64 * 16]uint64 // µs
	n      uint64
}

func histBucket(us uint64) int {
	if us < 16 {
		return int(us)
	}
	shift := bits.Len64(us) - 5
	return (shift+1)*16 + int(us>>uint(shift)) - 16
}

func histValue(i int) time.Duration {
	if i < 16 {
		return time.Duration(i) * time.Microsecond
	}
	shift := i/16 - 1
	sub := uint64(i%16 + 16)
	return time.Duration(sub<<uint(shift)) * time.Microsecond
}

func (h *LatencyHist) Add(d time.Duration) {
	us := uint64(0)
	if d > 0 {
		us = uint64(d / time.Microsecond)
	}
	i := histBucket(us)
	if i >= len(h.counts) {
		i = len(h.counts) - 1
	}
	h.counts[i]++
	h.sums[i] += us
	h.n++
}

func (h *LatencyHist) merge(o *LatencyHist) {
	for i, c := range o.counts {
		h.counts[i] += c
		h.sums[i] += o.sums[i]
	}
	h.n += o.n
}

func (h *LatencyHist) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	target := uint64(q*float64(h.n) + 0.5)
	if target == 0 {
		target = 1
	}
	var acc uint64
	for i, c := range h.counts {
		acc += uint64(c)
		if acc >= target {
			return time.Duration(h.sums[i]/uint64(c)) * time.Microsecond
		}
	}
	return histValue(len(h.counts) - 1)
}

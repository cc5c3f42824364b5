#!/usr/bin/env python3
"""Summarizes scripts/profile-warp.sh's collapsed stacks: per benchmark, the JMH score and the
frames with the largest self and inclusive shares of the process's CPU samples (every thread)."""
import collections
import glob
import os
import re
import sys

INTERESTING = ('facenorm', 'nd4j', 'samediff', 'memset', 'memcpy', 'malloc', 'libmLog', 'pthread',
               'arraycopy', 'Parallel', 'commons')


def summarize(name, raw):
    self_count, inclusive, total = collections.Counter(), collections.Counter(), 0
    for path in glob.glob(os.path.join(raw, name, '**', '*.csv'), recursive=True):
        with open(path, errors='replace') as f:
            for line in f:
                stack, _, n = line.rstrip().rpartition(' ')
                if not stack or not n.isdigit():
                    continue
                n = int(n)
                frames = stack.split(';')
                total += n
                self_count[frames[-1]] += n
                for frame in set(frames):
                    inclusive[frame] += n
    score = ''
    txt = os.path.join(raw, name + '.txt')
    if os.path.exists(txt):
        for line in open(txt, errors='replace'):
            if re.match(r'^\w+Benchmark\.\w+ ', line):
                score = ' '.join(line.split())
    out = ['## ' + name, '', '`' + score + '`', '', f'{total} samples (1 ms CPU time each, all threads).', '',
           '| self | frame |', '|---|---|']
    for frame, n in self_count.most_common(15):
        out.append(f'| {100 * n / total:.1f} % | `{frame[:120]}` |')
    out += ['', '| inclusive | frame |', '|---|---|']
    k = 0
    for frame, n in inclusive.most_common(500):
        if any(x in frame for x in INTERESTING) and 'jmh_generated' not in frame:
            out.append(f'| {100 * n / total:.1f} % | `{frame[:120]}` |')
            k += 1
            if k == 25:
                break
    return '\n'.join(out) + '\n'


def main():
    raw, machine = sys.argv[1], sys.argv[2]
    names = sorted(d for d in os.listdir(raw) if os.path.isdir(os.path.join(raw, d)))
    print(f'# Warp profiles: {machine}\n')
    print('Made by `scripts/profile-warp.sh` (async-profiler, itimer CPU samples, JMH `-f 1 -wi 3 -i 8`'
          ' with the profiler attached, so the scores are slower than in `scripts/bench.sh`). Shares are'
          ' of all CPU samples of the benchmark JVM, both warp threads included. Frames of inlined'
          ' Vector API methods (`intoArray`, `lanewiseTemplate`) stand for the kernel loops they were'
          ' inlined into.\n')
    for name in names:
        print(summarize(name, raw))


if __name__ == '__main__':
    main()

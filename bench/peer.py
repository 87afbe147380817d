"""The peer of `npm run bench -- peer`: what a researcher would write instead of confrec.

Issue 16 §1, exactly: TF-IDF over words and over character 3–5-grams → TruncatedSVD 256 → L2
normalisation; KMeans k=50; brute-force radius neighbours at the same cosine threshold confrec uses.
Plain scikit-learn defaults everywhere else (what the researcher would type), run by Debian's
/usr/bin/python3 (python3-sklearn). Prints one JSON object on stdout: seconds per step (measured
inside the process, after the imports), the import time, pair count and peak RSS.

Second mode, `--exhaustive VECTORS.f32 --dim D --threshold T --out PAIRS.i32`: every pair of
confrec's own vectors with cosine ≥ T (the truth its LSH pairs are scored against). numpy does the
n² products block by block in float32; pairs within 1e-4 of the cut are decided again in float64, so
rounding does not decide a pair.
"""
import argparse
import json
import resource
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402


def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def exhaustive(args):
    data = np.fromfile(args.exhaustive, dtype=np.float32)
    n = data.size // args.dim
    x = data.reshape(n, args.dim).astype(np.float32)
    norms = np.linalg.norm(x.astype(np.float64), axis=1)
    ok = norms > 0
    xn = np.zeros_like(x)
    xn[ok] = (x[ok] / norms[ok, None]).astype(np.float32)
    x64 = np.zeros((n, args.dim), dtype=np.float64)
    x64[ok] = x[ok].astype(np.float64) / norms[ok, None]
    out_i, out_j = [], []
    block = 2048
    t0 = time.perf_counter()
    for s in range(0, n, block):
        e = min(n, s + block)
        sims = xn[s:e] @ xn[s:].T  # only j ≥ s: each pair once
        ii, jj = np.nonzero(sims >= args.threshold - 1e-4)
        jj = jj + s
        ii = ii + s
        keep = jj > ii
        ii, jj = ii[keep], jj[keep]
        if ii.size:
            exact = np.einsum('ij,ij->i', x64[ii], x64[jj])
            sel = exact >= args.threshold
            out_i.append(ii[sel])
            out_j.append(jj[sel])
    pairs = np.stack([np.concatenate(out_i) if out_i else np.zeros(0, np.int64),
                      np.concatenate(out_j) if out_j else np.zeros(0, np.int64)], axis=1).astype(np.int32)
    pairs.tofile(args.out)
    print(json.dumps({'texts': int(n), 'pairs': int(pairs.shape[0]), 'seconds': round(time.perf_counter() - t0, 3),
                      'peak_rss_mb': peak_rss_mb()}))


def peer(args):
    from scipy.sparse import hstack
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.neighbors import NearestNeighbors
    from sklearn.preprocessing import normalize
    import sklearn
    imports_s = time.perf_counter() - t_start
    steps = {}

    t = time.perf_counter()
    with open(args.texts, encoding='utf-8') as f:
        texts = [json.loads(line)['text'] for line in f]
    steps['read'] = time.perf_counter() - t

    t = time.perf_counter()
    words = TfidfVectorizer(analyzer='word').fit_transform(texts)
    chars = TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 5)).fit_transform(texts)
    tfidf = hstack([words, chars]).tocsr()
    x = TruncatedSVD(n_components=args.dim, random_state=args.seed).fit_transform(tfidf)
    x = normalize(x)
    steps['embed'] = time.perf_counter() - t

    t = time.perf_counter()
    labels = KMeans(n_clusters=args.k, n_init='auto', random_state=args.seed).fit_predict(x)
    steps['clusters'] = time.perf_counter() - t

    t = time.perf_counter()
    nn = NearestNeighbors(radius=1 - args.threshold, metric='cosine', algorithm='brute').fit(x)
    neighbours = nn.radius_neighbors(x, return_distance=False)
    pairs = sum(int((row > i).sum()) for i, row in enumerate(neighbours))
    steps['near-duplicates'] = time.perf_counter() - t

    print(json.dumps({
        'texts': len(texts),
        'features': {'word': int(words.shape[1]), 'char': int(chars.shape[1])},
        'clusters': int(len(set(labels.tolist()))),
        'pairs': pairs,
        'imports_s': round(imports_s, 3),
        'steps': {k: round(v, 3) for k, v in steps.items()},
        'peak_rss_mb': peak_rss_mb(),
        'versions': {'python': sys.version.split()[0], 'sklearn': sklearn.__version__, 'numpy': np.__version__},
    }))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--texts')
    p.add_argument('--threshold', type=float, required=True)
    p.add_argument('--dim', type=int, default=256)
    p.add_argument('--k', type=int, default=50)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--exhaustive')
    p.add_argument('--out')
    args = p.parse_args()
    if args.exhaustive:
        exhaustive(args)
    else:
        peer(args)


if __name__ == '__main__':
    main()

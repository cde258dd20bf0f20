#!/usr/bin/env python3
"""Geomean ratio to ring_mp_mc per mode and bulk, each run of each build.
Run from this folder: python3 summary.py > summary.txt"""
import csv, math, sys, statistics
def load(p):
    t={}
    for r in csv.DictReader(open(p)):
        t[(int(r['bulk']),int(r['keep']),r['backend'])]=float(r['rate_median'])
    return t
def gm(x): return math.exp(sum(map(math.log,x))/len(x))
out=[]
for tag in ['main','nolock']:
    for i in (1,2,3):
        t=load(f'{tag}{i}.csv')
        row=[f'{tag}{i}']
        for be in ['dynpool','dynpool-nt','dynpool-fast']:
            for bulk in (1,4,32,None):
                rs=[t[(b,k,be)]/t[(b,k,'ring_mp_mc')] for (b,k,bb) in t if bb==be and (bulk is None or b==bulk)]
                row.append(f'{gm(rs):.2f}')
        out.append(row)
print('run      | tracked b1 b4 b32 all | checked b1 b4 b32 all | unchecked b1 b4 b32 all')
for r in out: print(r[0].ljust(8),'|',' '.join(r[1:5]),'|',' '.join(r[5:9]),'|',' '.join(r[9:13]))

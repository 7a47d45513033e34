import os, sqlite3, sys, time
db, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
c = sqlite3.connect(db, timeout=120, isolation_level=None)
lat = []
print("started", flush=True)
while not os.path.exists(stop):
    t = time.monotonic()
    c.execute("BEGIN IMMEDIATE")
    c.execute("INSERT INTO t(payload) VALUES (randomblob(700))")
    c.execute("COMMIT")
    lat.append(time.monotonic() - t)
    time.sleep(0.002)
c.close()
lat.sort()
with open(out, "w") as f:
    f.write(f"{len(lat)} {lat[len(lat)//2]*1000:.1f} {lat[int(len(lat)*0.99)]*1000:.1f} {lat[-1]*1000:.1f}\n")

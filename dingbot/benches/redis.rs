//! Fleet-wide pacing through Redis, against in-process pacing, in one run.
//!
//! - `redis_send/in_process` and `redis_send/redis`: a whole send to the emulator over
//!   loopback, paced in this process or through a `redis-server` on loopback (a window
//!   too large to fill, so every send takes a slot and none waits).
//! - `redis_acquire/baseline_payload` and `redis_acquire/refused_by_redis`: encoding the
//!   message alone, and a fail-fast send that Redis refuses because the window is full
//!   (the message encoded, then one acquire script, one round trip, no HTTP).
//!
//! - `redis_first_send/fresh_robot` and `redis_first_send/warm_robot`: the first
//!   message of a fresh deploy (a robot built now, its token unknown to a Redis up for
//!   longer than the window: its keys deleted before each) against a send of a robot
//!   that has sent before, both whole sends to the emulator. Before Redis pacing fenced
//!   only when a record may be lost, the first took a whole window (62 s by default).
//!
//! Before criterion runs, 20,000 of each are timed one by one and their p50/p99
//! printed (200 of the first sends). Needs `redis-server` (Debian's package); without it the benchmark says so
//! and measures nothing.

use std::hint::black_box;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use dingbot::mock::MockServer;
use dingbot::{Error, Pacing, Payload, Rate, Robot, Text};

struct RedisServer(Child);

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `redis-server` on a free loopback port, persistence off, and its URL.
fn redis_server() -> Option<(RedisServer, String)> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .ok()?
        .port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let server = RedisServer(child);
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).is_err() {
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some((server, format!("redis://127.0.0.1:{port}")))
}

/// p50 and p99 of `n` timings of `f`, in µs.
fn percentiles(rt: &tokio::runtime::Runtime, n: usize, mut f: impl AsyncFnMut()) -> (f64, f64) {
    let mut times: Vec<Duration> = rt.block_on(async {
        let mut times = Vec::with_capacity(n);
        for _ in 0..n {
            let start = Instant::now();
            f().await;
            times.push(start.elapsed());
        }
        times
    });
    times.sort();
    let at = |q: f64| times[((n as f64 * q) as usize).min(n - 1)].as_secs_f64() * 1e6;
    (at(0.50), at(0.99))
}

fn bench(c: &mut Criterion) {
    let Some((_redis, url)) = redis_server() else {
        eprintln!("redis bench: skipped, `redis-server` is not installed or did not start");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // One emulator per robot: on loopback each port is a robot of its own.
    let start = || {
        rt.block_on(MockServer::builder().no_rate_limit().start())
            .unwrap()
    };
    let (local_server, redis_server_mock, full_server) = (start(), start(), start());
    let never_full = Rate::new(100_000_000, Duration::from_secs(1));
    let local = Robot::builder(local_server.webhook_url())
        .rate_limit(never_full)
        .build()
        .unwrap();
    let redis = Robot::builder(redis_server_mock.webhook_url())
        .rate_limit(never_full)
        .redis_pacing(&url)
        .build()
        .unwrap();
    // One slot per 10 minutes, taken: every later fail-fast send is refused by Redis.
    let full = Robot::builder(full_server.webhook_url())
        .rate_limit(Rate::new(1, Duration::from_secs(600)))
        .pacing_margin(Duration::ZERO)
        .pacing(Pacing::FailFast)
        .redis_pacing(&url)
        .build()
        .unwrap();
    let msg = Text::new("pacing overhead");
    rt.block_on(async {
        // The first use of a robot with a Redis is fenced off for one window (3 s here).
        redis.send(&msg).await.unwrap();
        assert!(matches!(
            full.send(&msg).await,
            Err(Error::RateLimited { .. })
        ));
        let client = redis::Client::open(url.as_str()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg("dingbot:*:robot")
            .query_async(&mut conn)
            .await
            .unwrap();
        for key in keys {
            let _: () = redis::cmd("HSET")
                .arg(&key)
                .arg("fence")
                .arg(0)
                .query_async(&mut conn)
                .await
                .unwrap();
        }
        full.send(&msg).await.unwrap();
        assert!(matches!(
            full.send(&msg).await,
            Err(Error::RateLimited { .. })
        ));
    });

    let count = AtomicUsize::new(0);
    let reset = |server: &MockServer| {
        if count.fetch_add(1, Ordering::Relaxed) % 5_000 == 4_999 {
            server.reset();
        }
    };
    let n = 20_000;
    let (p50, p99) = percentiles(&rt, n, async || drop(black_box(Payload::new(&msg))));
    println!("payload alone:          p50 {p50:7.1} µs  p99 {p99:7.1} µs");
    let (p50, p99) = percentiles(&rt, n, async || {
        black_box(full.send(&msg).await.unwrap_err());
    });
    println!(
        "acquire refused (Redis): p50 {p50:7.1} µs  p99 {p99:7.1} µs  (encode + one round trip)"
    );
    let (p50, p99) = percentiles(&rt, n, async || {
        black_box(local.send(&msg).await.unwrap());
        reset(&local_server);
    });
    println!("send, in-process pacing: p50 {p50:7.1} µs  p99 {p99:7.1} µs");
    let (p50, p99) = percentiles(&rt, n, async || {
        black_box(redis.send(&msg).await.unwrap());
        reset(&redis_server_mock);
    });
    println!("send, Redis pacing:      p50 {p50:7.1} µs  p99 {p99:7.1} µs");

    // Interleaved, so that the shared machine's drift hits both arms alike.
    let (mut in_process, mut through_redis) = (Duration::ZERO, Duration::ZERO);
    rt.block_on(async {
        for _ in 0..n {
            let start = Instant::now();
            black_box(local.send(&msg).await.unwrap());
            in_process += start.elapsed();
            reset(&local_server);
            let start = Instant::now();
            black_box(redis.send(&msg).await.unwrap());
            through_redis += start.elapsed();
            reset(&redis_server_mock);
        }
    });
    println!(
        "interleaved means: in-process {:.1} µs, Redis {:.1} µs: throughput ratio {:.2}x",
        in_process.as_secs_f64() * 1e6 / n as f64,
        through_redis.as_secs_f64() * 1e6 / n as f64,
        in_process.as_secs_f64() / through_redis.as_secs_f64()
    );

    let mut group = c.benchmark_group("redis_send");
    group.bench_function("in_process", |b| {
        b.to_async(&rt).iter(|| async {
            black_box(local.send(&msg).await.unwrap());
            reset(&local_server);
        })
    });
    group.bench_function("redis", |b| {
        b.to_async(&rt).iter(|| async {
            black_box(redis.send(&msg).await.unwrap());
            reset(&redis_server_mock);
        })
    });
    group.finish();

    let stats: String = rt.block_on(async {
        let client = redis::Client::open(url.as_str()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        redis::cmd("INFO")
            .arg("commandstats")
            .query_async(&mut conn)
            .await
            .unwrap()
    });
    for line in stats.lines().filter(|l| l.starts_with("cmdstat_eval")) {
        println!("{line}");
    }
    println!(
        "sends so far (both arms): {}",
        count.load(Ordering::Relaxed)
    );

    let mut group = c.benchmark_group("redis_acquire");
    group.bench_function("baseline_payload", |b| {
        b.iter(|| black_box(Payload::new(&msg).unwrap()))
    });
    group.bench_function("refused_by_redis", |b| {
        b.to_async(&rt)
            .iter(|| async { black_box(full.send(&msg).await.unwrap_err()) })
    });
    group.finish();

    first_send(c, &rt, &url);
}

/// The first message of a fresh deploy against a warm send, on a Redis up for longer
/// than the window.
fn first_send(c: &mut Criterion, rt: &tokio::runtime::Runtime, url: &str) {
    // Database 1 holds this robot's keys alone, so emptying it makes its token new to
    // Redis; the window is 1 s and a send is in flight for at most its 1 s timeout.
    let url = format!("{url}/1");
    // Two emulators, two robots to Redis (on loopback the port counts): the fresh ones
    // share nothing with the warm one, not even a connection.
    let start = || {
        rt.block_on(MockServer::builder().no_rate_limit().start())
            .unwrap()
    };
    let (server, warm_server) = (start(), start());
    let build = |server: &MockServer| {
        Robot::builder(server.webhook_url())
            .rate_limit(Rate::new(100_000_000, Duration::from_secs(1)))
            .pacing_margin(Duration::ZERO)
            .timeout(Duration::from_secs(1))
            .redis_pacing(&url)
            .build()
            .unwrap()
    };
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut conn = rt
        .block_on(client.get_multiplexed_async_connection())
        .unwrap();
    let uptime = |conn: &mut redis::aio::MultiplexedConnection| -> u64 {
        let info: String = rt
            .block_on(redis::cmd("INFO").arg("server").query_async(conn))
            .unwrap();
        info.lines()
            .find_map(|l| l.strip_prefix("uptime_in_seconds:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    while uptime(&mut conn) < 3 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let msg = Text::new("first message");
    let fresh = |conn: &mut redis::aio::MultiplexedConnection| -> Duration {
        let _: () = rt
            .block_on(redis::cmd("FLUSHDB").query_async(conn))
            .unwrap();
        let robot = build(&server);
        let start = Instant::now();
        rt.block_on(robot.send(&msg)).unwrap();
        let took = start.elapsed();
        server.reset();
        took
    };
    let warm = build(&warm_server);
    rt.block_on(warm.send(&msg)).unwrap();

    let n = 200;
    let mut firsts: Vec<Duration> = (0..n).map(|_| fresh(&mut conn)).collect();
    firsts.sort();
    let mut warms: Vec<Duration> = (0..n)
        .map(|_| {
            let start = Instant::now();
            rt.block_on(warm.send(&msg)).unwrap();
            start.elapsed()
        })
        .collect();
    warms.sort();
    warm_server.reset();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let (first_p50, warm_p50) = (firsts[n / 2], warms[n / 2]);
    println!(
        "first message of a fresh robot: p50 {:7.1} µs  max {:7.1} µs; warm send p50 {:7.1} µs: \
         ratio {:.1}x",
        us(first_p50),
        us(firsts[n - 1]),
        us(warm_p50),
        first_p50.as_secs_f64() / warm_p50.as_secs_f64()
    );

    let mut group = c.benchmark_group("redis_first_send");
    group.bench_function("fresh_robot", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| fresh(&mut conn)).sum())
    });
    group.bench_function("warm_robot", |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                rt.block_on(warm.send(&msg)).unwrap();
            }
            let took = start.elapsed();
            warm_server.reset();
            took
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

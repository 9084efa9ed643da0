/*
 * kw-infra: the one static binary in Kube Workbench's infrastructure image.
 *
 *   kw-infra pause [K:GID:PATH ...]
 *                         holds a pod's network namespace (the pod sandbox):
 *                         prepares the pod's volumes mounted at each PATH
 *                         (see prepare_volume), then sleeps, reaps children,
 *                         exits on SIGTERM/SIGINT.
 *   kw-infra proxy DIR    a Service's userspace proxy: listens on every port
 *                         named in DIR/backends and forwards each connection
 *                         to the next backend of that port, round robin.
 *   kw-infra subpath ROOT REL [ROOT REL ...]
 *                         makes sure REL exists inside the volume mounted at
 *                         ROOT (a volumeMount's subPath): missing directories
 *                         are created with ROOT's mode; a symbolic link on the
 *                         way is refused, so a bind mount of ROOT/REL cannot
 *                         be steered out of the volume. An existing file as
 *                         the last part is accepted (a file mounted alone).
 *
 * DIR/backends has one line per Service port, "PORT IP:PORT IP:PORT ...",
 * rewritten (atomically, by rename) by the orchestrator whenever the
 * Service's ready endpoints change; it is re-read when its mtime changes.
 * Built with `gcc -static -O2` and put in an image with `docker import`.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 64
#define MAX_BACKENDS 256

static volatile sig_atomic_t stopping = 0;
static void on_stop(int sig) { (void)sig; stopping = 1; }

/*
 * "K:GID:PATH", a pod volume mounted into the sandbox at PATH, made ready
 * before any container of the pod starts: K 'e' (emptyDir) gets mode 0777,
 * as the kubelet makes it; K 'g' (a claim) gets group rwx. With GID >= 0
 * (the pod's fsGroup) the root is group-owned by it, with setgid.
 */
static void prepare_volume(const char *spec) {
  char kind = spec[0];
  if (kind == '\0' || spec[1] != ':') return;
  char *end;
  long gid = strtol(spec + 2, &end, 10);
  if (*end != ':') return;
  const char *path = end + 1;
  struct stat st;
  if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) return;
  if (gid >= 0 && chown(path, (uid_t)-1, (gid_t)gid) != 0) perror(path);
  mode_t mode = kind == 'e' ? 0777 : (st.st_mode & 07777) | 0070;
  if (gid >= 0) mode |= 02000;
  if (chmod(path, mode) != 0) perror(path);
}

static int pause_main(int argc, char **argv) {
  for (int i = 0; i < argc; i++) prepare_volume(argv[i]);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  while (!stopping) {
    pause();
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
  }
  return 0;
}

struct backend { struct sockaddr_in addr; };
struct port {
  int port;
  int listen_fd;
  int count;
  unsigned next;
  struct backend backends[MAX_BACKENDS];
};

static struct port ports[MAX_PORTS];
static int nports = 0;
static char config_path[4096];
static struct timespec config_mtime;
static off_t config_size = -1;

static struct port *find_port(int p) {
  for (int i = 0; i < nports; i++)
    if (ports[i].port == p) return &ports[i];
  return NULL;
}

/* Reads the backends file; new ports are added (listened on by the caller). */
static void load_config(int force) {
  struct stat st;
  if (stat(config_path, &st) != 0) return;
  if (!force && st.st_mtim.tv_sec == config_mtime.tv_sec && st.st_mtim.tv_nsec == config_mtime.tv_nsec &&
      st.st_size == config_size)
    return;
  FILE *f = fopen(config_path, "r");
  if (!f) return;
  config_mtime = st.st_mtim;
  config_size = st.st_size;
  for (int i = 0; i < nports; i++) ports[i].count = 0;
  char line[65536];
  while (fgets(line, sizeof line, f)) {
    char *save = NULL;
    char *tok = strtok_r(line, " \t\r\n", &save);
    if (!tok) continue;
    int p = atoi(tok);
    if (p <= 0 || p > 65535) continue;
    struct port *pt = find_port(p);
    if (!pt) {
      if (nports == MAX_PORTS) continue;
      pt = &ports[nports++];
      memset(pt, 0, sizeof *pt);
      pt->port = p;
      pt->listen_fd = -1;
    }
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) && pt->count < MAX_BACKENDS) {
      char *colon = strrchr(tok, ':');
      if (!colon) continue;
      *colon = 0;
      struct backend *b = &pt->backends[pt->count];
      memset(b, 0, sizeof *b);
      b->addr.sin_family = AF_INET;
      b->addr.sin_port = htons((unsigned short)atoi(colon + 1));
      if (inet_pton(AF_INET, tok, &b->addr.sin_addr) == 1) pt->count++;
    }
  }
  fclose(f);
}

static void listen_all(void) {
  for (int i = 0; i < nports; i++) {
    struct port *pt = &ports[i];
    if (pt->listen_fd >= 0) continue;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)pt->port);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 1024) != 0) {
      fprintf(stderr, "kw-infra proxy: cannot listen on %d: %s\n", pt->port, strerror(errno));
      close(fd);
      continue;
    }
    pt->listen_fd = fd;
  }
}

/* Copies both ways until both sides are done. */
static void splice_loop(int a, int b) {
  char buf[65536];
  int a_open = 1, b_open = 1;
  while (a_open || b_open) {
    struct pollfd fds[2] = {{a, a_open ? POLLIN : 0, 0}, {b, b_open ? POLLIN : 0, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; i++) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      int from = i == 0 ? a : b, to = i == 0 ? b : a;
      ssize_t n = read(from, buf, sizeof buf);
      if (n <= 0) {
        if (i == 0) a_open = 0; else b_open = 0;
        shutdown(to, SHUT_WR);
        continue;
      }
      for (ssize_t off = 0; off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w <= 0) return;
        off += w;
      }
    }
  }
}

static void serve(int client, struct port *pt) {
  int one = 1;
  setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  for (int tries = 0; tries < pt->count; tries++) {
    struct backend *b = &pt->backends[(pt->next + (unsigned)tries) % (unsigned)pt->count];
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&b->addr, sizeof b->addr) == 0) {
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      splice_loop(client, fd);
      close(fd);
      return;
    }
    close(fd);
  }
}

static int proxy_main(const char *dir) {
  snprintf(config_path, sizeof config_path, "%s/backends", dir);
  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  load_config(1);
  listen_all();
  while (!stopping) {
    struct pollfd fds[MAX_PORTS];
    struct port *which[MAX_PORTS];
    int n = 0;
    for (int i = 0; i < nports; i++)
      if (ports[i].listen_fd >= 0) {
        fds[n].fd = ports[i].listen_fd;
        fds[n].events = POLLIN;
        fds[n].revents = 0;
        which[n++] = &ports[i];
      }
    int r = poll(fds, (nfds_t)n, 1000);
    load_config(0);
    listen_all();
    if (r <= 0) continue;
    for (int i = 0; i < n; i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      int client = accept4(fds[i].fd, NULL, NULL, SOCK_CLOEXEC);
      if (client < 0) continue;
      struct port *pt = which[i];
      if (pt->count == 0) {
        close(client); /* no ready endpoint: refuse, as kube-proxy does */
        continue;
      }
      pid_t pid = fork();
      if (pid == 0) {
        for (int j = 0; j < nports; j++)
          if (ports[j].listen_fd >= 0) close(ports[j].listen_fd);
        serve(client, pt);
        _exit(0);
      }
      pt->next++;
      close(client);
    }
  }
  return 0;
}

static int subpath_fail(int fd, const char *root, const char *rel, const char *why) {
  if (fd >= 0) close(fd);
  fprintf(stderr, "subPath \"%s\" in %s: %s\n", rel, root, why);
  return 1;
}

static int subpath_one(const char *root, const char *rel) {
  int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return subpath_fail(fd, root, rel, strerror(errno));
  const mode_t mode = st.st_mode & 07777;
  char buf[4096];
  if (strlen(rel) >= sizeof buf) return subpath_fail(fd, root, rel, "too long");
  strcpy(buf, rel);
  char *parts[256];
  int n = 0;
  char *save = NULL;
  for (char *p = strtok_r(buf, "/", &save); p != NULL; p = strtok_r(NULL, "/", &save)) {
    if (strcmp(p, ".") == 0) continue;
    if (strcmp(p, "..") == 0) return subpath_fail(fd, root, rel, "leaves the volume");
    if (n == 256) return subpath_fail(fd, root, rel, "too deep");
    parts[n++] = p;
  }
  for (int i = 0; i < n; i++) {
    struct stat s;
    if (fstatat(fd, parts[i], &s, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) return subpath_fail(fd, root, rel, strerror(errno));
      if (mkdirat(fd, parts[i], mode) != 0 && errno != EEXIST) return subpath_fail(fd, root, rel, strerror(errno));
      fchmodat(fd, parts[i], mode, 0); /* mkdirat is subject to the umask */
    } else if (S_ISLNK(s.st_mode)) {
      return subpath_fail(fd, root, rel, "a symbolic link is on the way");
    } else if (!S_ISDIR(s.st_mode)) {
      if (i == n - 1) break; /* a file, mounted alone */
      return subpath_fail(fd, root, rel, "not a directory");
    }
    if (i == n - 1) break;
    int next = openat(fd, parts[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) return subpath_fail(fd, root, rel, strerror(errno));
    close(fd);
    fd = next;
  }
  close(fd);
  return 0;
}

static int subpath_main(int argc, char **argv) {
  int failed = 0;
  for (int i = 0; i + 1 < argc; i += 2) failed |= subpath_one(argv[i], argv[i + 1]);
  return failed;
}

int main(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "pause") == 0) return pause_main(argc - 2, argv + 2);
  if (argc >= 3 && strcmp(argv[1], "proxy") == 0) return proxy_main(argv[2]);
  if (argc >= 4 && argc % 2 == 0 && strcmp(argv[1], "subpath") == 0) return subpath_main(argc - 2, argv + 2);
  fprintf(stderr, "usage: kw-infra pause [K:GID:PATH ...] | kw-infra proxy DIR | kw-infra subpath ROOT REL [ROOT REL ...]\n");
  return 2;
}

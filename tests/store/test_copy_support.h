#pragma once

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

// What the copy and concurrency tests share: running the borderlens executable, and PostgreSQL
// test databases. BORDERLENS_TEST_PG names a server where tests may CREATE DATABASE (tools/test
// starts a throwaway one); each test gets a database of its own, dropped afterwards. Without it the PostgreSQL tests exit with kSkipped, which ctest
// reports as skipped (SKIP_RETURN_CODE), never as passed.
namespace borderlens::test {

inline constexpr int kSkipped = 77;

// The server's location, or a skip of the whole test case.
inline std::string pgServerOrSkip() {
  const char* url = std::getenv("BORDERLENS_TEST_PG");
  if (url == nullptr || *url == '\0') {
    std::fputs("SKIPPED: BORDERLENS_TEST_PG is not set (no PostgreSQL server to test against)\n",
               stdout);
    std::fflush(stdout);
    std::_Exit(kSkipped);
  }
  return url;
}

// `location` (a postgresql:// URL or a PG: / libpq key-value string) with another database name.
inline std::string withDatabase(const std::string& location, const std::string& name) {
  if (location.find("://") == std::string::npos) return location + " dbname=" + name;
  const std::size_t authority = location.find("://") + 3;
  const std::size_t query = location.find('?', authority);
  return location.substr(0, location.find_first_of("/?", authority)) + "/" + name +
         (query == std::string::npos ? "" : location.substr(query));
}

// A fresh, empty database on the test server, dropped on destruction.
class PgTestDatabase {
 public:
  explicit PgTestDatabase(const std::string& server) : m_server(server) {
    static std::atomic<int> counter{0};
    m_name = "bl_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    exec("CREATE DATABASE " + m_name);
  }
  ~PgTestDatabase() {
    try {
      exec("DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (...) {
      // A database left behind on a throwaway server goes with the server.
    }
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  // The location borderlens opens.
  std::string location() const { return withDatabase(m_server, m_name); }

 private:
  void exec(const std::string& sql) const {
    const std::string conninfo = m_server.rfind("PG:", 0) == 0 ? m_server.substr(3) : m_server;
    PGconn* connection = PQconnectdb(conninfo.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
      const std::string why = PQerrorMessage(connection);
      PQfinish(connection);
      throw std::runtime_error("BORDERLENS_TEST_PG: cannot connect: " + why);
    }
    // "does not exist, skipping" and the like are not news in a test log.
    PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
    PGresult* result = PQexec(connection, sql.c_str());
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    const std::string why = PQerrorMessage(connection);
    PQclear(result);
    PQfinish(connection);
    if (!ok) throw std::runtime_error(sql + ": " + why);
  }

  std::string m_server;
  std::string m_name;
};

// Starts `borderlens ARGS...` with its standard output and error going to files; no shell, so
// no quoting of connection strings.
inline pid_t spawnBorderlens(const std::string& executable, const std::vector<std::string>& args,
                             const std::string& stdoutFile, const std::string& stderrFile) {
  std::vector<std::string> argv{executable};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> pointers;
  for (auto& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdoutFile.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderrFile.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int error = posix_spawn(&pid, executable.c_str(), &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) throw std::runtime_error("cannot start " + executable);
  return pid;
}

// The exit code of a process started by spawnBorderlens (128 + signal when killed).
inline int waitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct CommandResult {
  int exitCode = 0;
  std::string out;
  std::string err;
};

// Runs `borderlens ARGS...` to completion; its output goes through files in `workDir`.
inline CommandResult runBorderlens(const std::string& executable,
                                   const std::vector<std::string>& args,
                                   const std::string& workDir) {
  static std::atomic<int> counter{0};
  const std::string base = workDir + "/command" + std::to_string(counter++);
  CommandResult result;
  result.exitCode = waitExit(spawnBorderlens(executable, args, base + ".out", base + ".err"));
  result.out = readFile(base + ".out");
  result.err = readFile(base + ".err");
  return result;
}

} // namespace borderlens::test

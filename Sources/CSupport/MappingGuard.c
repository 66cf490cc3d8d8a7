#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "CSupport.h"

// The live mappings the SIGBUS handler recognises. A slot is claimed by setting `start` (last, with release order,
// after `length` and `name` are in place) and freed by clearing it; the handler reads them with acquire order and
// touches nothing else, so it stays async-signal-safe. A fault can only come from the thread scanning that mapping,
// and that thread is busy in the fault, so the slot it hit cannot be freed under the handler.
#define GUARD_SLOTS 16

typedef struct {
    uintptr_t start;
    size_t length;
    char *name;
    size_t name_length;
} guard_slot;

static guard_slot slots[GUARD_SLOTS];
static struct sigaction previous_action;
static int shrank_exit_code = 1;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void write_all(const char *text, size_t length) {
    while (length > 0) {
        ssize_t written = write(STDERR_FILENO, text, length);
        if (written <= 0) return;
        text += written;
        length -= (size_t)written;
    }
}

static void on_sigbus(int signal_number, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int index = 0; index < GUARD_SLOTS; index++) {
        uintptr_t start = __atomic_load_n(&slots[index].start, __ATOMIC_ACQUIRE);
        if (start == 0 || address < start || address - start >= slots[index].length) continue;
        static const char prefix[] = "\nbypass-auditor: ";
        static const char suffix[] =
            ": the file shrank while it was being read (it was truncated or rewritten in place). The batches committed "
            "before this point stay, each with its resume checkpoint; the batch being read was not committed and this "
            "ingest run is not recorded as finished. Run ingest again: the shrunk file is read again from its start.\n";
        write_all(prefix, sizeof prefix - 1);
        write_all(slots[index].name, slots[index].name_length);
        write_all(suffix, sizeof suffix - 1);
        _exit(shrank_exit_code);
    }
    // Not one of ours: hand the fault back to whoever handled SIGBUS before (the default ends the process when the
    // faulting instruction runs again).
    sigaction(SIGBUS, &previous_action, NULL);
    (void)signal_number;
    (void)context;
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous_action);
}

int csupport_mapping_guard_add(const void *start, size_t length, const char *name, int exit_code) {
    shrank_exit_code = exit_code;
    pthread_once(&install_once, install);
    size_t name_length = strlen(name);
    char *copy = malloc(name_length + 1);
    if (copy == NULL) return -1;
    memcpy(copy, name, name_length + 1);
    for (int index = 0; index < GUARD_SLOTS; index++) {
        uintptr_t expected = 0;
        // Reserve the slot with a marker first, so `length` and `name` are written before the handler can match it.
        if (!__atomic_compare_exchange_n(&slots[index].start, &expected, (uintptr_t)1, 0, __ATOMIC_ACQ_REL,
                                         __ATOMIC_RELAXED)) continue;
        slots[index].length = length;
        slots[index].name = copy;
        slots[index].name_length = name_length;
        __atomic_store_n(&slots[index].start, (uintptr_t)start, __ATOMIC_RELEASE);
        return index;
    }
    free(copy);
    return -1;
}

void csupport_mapping_guard_remove(int slot) {
    if (slot < 0 || slot >= GUARD_SLOTS) return;
    char *name = slots[slot].name;
    slots[slot].name = NULL;
    slots[slot].length = 0;
    __atomic_store_n(&slots[slot].start, (uintptr_t)0, __ATOMIC_RELEASE);
    free(name);
}

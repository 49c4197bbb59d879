// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_irq_vm: the smallest arm64 KVM "VMM" that injects interrupts through an irqfd, for the
 * arm64 lab's kvm_irqfd_stats_summary_arm check (tests/lab/scenarios-arm64/kvm_irqfd_arm.sh)
 * where no QEMU for arm64 runs. One vCPU, an in-kernel vGICv3, 64 KiB of RAM holding a loop
 * that enables SPI 32, waits (WFI), acknowledges and ends each interrupt and counts it in RAM.
 *
 * usage: kvm_irq_vm COUNT
 * Sets everything up, prints "ready <pid>", waits for SIGUSR1, then writes the irqfd's eventfd
 * COUNT times (one write per interrupt the guest has acknowledged, 20 ms apart), and prints
 * "sent N acked M" (M: the guest's count). Exit 0 when M == N == COUNT.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x10000UL
#define COUNT_AT 0x8000UL /* the guest's interrupt count, in RAM */
#define GICD_BASE 0x08000000UL
#define GICR_BASE 0x080A0000UL

/* The guest (position-independent, MMU off, interrupts masked: WFI still wakes on a pending one). */
__asm__(".section .rodata\n"
	".global guest_code\n"
	"guest_code:\n"
	"	movz x9, #0x0800, lsl #16\n" /* GICD */
	"	mov w1, #0x13\n" /* GICD_CTLR: ARE, EnableGrp1, EnableGrp0 */
	"	str w1, [x9]\n"
	"	mov w1, #0xffffffff\n"
	"	str w1, [x9, #0x84]\n" /* GICD_IGROUPR1: SPIs 32-63 in group 1 */
	"	mov w1, #1\n"
	"	str w1, [x9, #0x104]\n" /* GICD_ISENABLER1: SPI 32 */
	"	movz x10, #0x080A, lsl #16\n" /* GICR of vCPU 0 */
	"	str wzr, [x10, #0x14]\n" /* GICR_WAKER: awake */
	"	mov x1, #0xff\n"
	"	msr S3_0_C4_C6_0, x1\n" /* ICC_PMR_EL1 */
	"	mov x1, #1\n"
	"	msr S3_0_C12_C12_7, x1\n" /* ICC_IGRPEN1_EL1 */
	"	isb\n"
	"	movz x11, #0x4000, lsl #16\n"
	"	add x11, x11, #0x8000\n" /* the count */
	"	mov x12, #0\n"
	"1:	wfi\n"
	"	mrs x1, S3_0_C12_C12_0\n" /* ICC_IAR1_EL1 */
	"	cmp x1, #1020\n"
	"	b.hs 1b\n"
	"	msr S3_0_C12_C12_1, x1\n" /* ICC_EOIR1_EL1 */
	"	isb\n"
	"	add x12, x12, #1\n"
	"	str x12, [x11]\n"
	"	b 1b\n"
	".global guest_code_end\n"
	"guest_code_end:\n"
	".text\n");
extern const unsigned char guest_code[], guest_code_end[];

static int vcpu;
static volatile sig_atomic_t go;

static void die(const char *what)
{
	fprintf(stderr, "kvm_irq_vm: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *run_vcpu(void *arg)
{
	(void)arg;
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0 && errno != EINTR)
			die("KVM_RUN");
	}
	return NULL;
}

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static void set_attr(int fd, __u32 group, __u64 attr, void *addr)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (__u64)(uintptr_t)addr };
	if (ioctl(fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		die("KVM_SET_DEVICE_ATTR");
}

int main(int argc, char **argv)
{
	int count = argc == 2 ? atoi(argv[1]) : 0;
	if (count <= 0) {
		fprintf(stderr, "usage: kvm_irq_vm COUNT\n");
		return 2;
	}
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	int vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	unsigned char *ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap");
	memcpy(ram, guest_code, (size_t)(guest_code_end - guest_code));
	struct kvm_userspace_memory_region region = { .slot = 0,
						      .guest_phys_addr = RAM_BASE,
						      .memory_size = RAM_SIZE,
						      .userspace_addr = (uintptr_t)ram };
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		die("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	struct kvm_vcpu_init init;
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		die("KVM_ARM_PREFERRED_TARGET");
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		die("KVM_ARM_VCPU_INIT");
	__u64 pc = RAM_BASE;
	struct kvm_one_reg reg = {
		.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		      (offsetof(struct kvm_regs, regs.pc) / sizeof(__u32)),
		.addr = (uintptr_t)&pc,
	};
	if (ioctl(vcpu, KVM_SET_ONE_REG, &reg) < 0)
		die("KVM_SET_ONE_REG pc");
	struct kvm_create_device gic = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	if (ioctl(vm, KVM_CREATE_DEVICE, &gic) < 0)
		die("KVM_CREATE_DEVICE vgic-v3");
	__u64 dist = GICD_BASE, redist = GICR_BASE;
	__u32 nr_irqs = 64;
	set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist);
	set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist);
	set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	set_attr(gic.fd, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
	int efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		die("eventfd");
	struct kvm_irqfd irqfd = { .fd = (__u32)efd, .gsi = 0 }; /* GSI 0 = SPI 32 */
	if (ioctl(vm, KVM_IRQFD, &irqfd) < 0)
		die("KVM_IRQFD");

	signal(SIGUSR1, on_usr1);
	pthread_t t;
	if (pthread_create(&t, NULL, run_vcpu, NULL))
		die("pthread_create");
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (!go)
		pause();

	volatile __u64 *acked = (volatile __u64 *)(ram + COUNT_AT);
	struct timespec gap = { 0, 20 * 1000 * 1000 };
	int sent = 0;
	for (int i = 0; i < count; i++) {
		__u64 one = 1;
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			die("eventfd write");
		sent++;
		/* The next one once the guest has taken this one (at most 5 s). */
		for (int w = 0; w < 250 && *acked < (__u64)sent; w++)
			nanosleep(&gap, NULL);
	}
	for (int w = 0; w < 50 && *acked < (__u64)sent; w++)
		nanosleep(&gap, NULL);
	printf("sent %d acked %llu\n", sent, (unsigned long long)*acked);
	return *acked == (__u64)count ? 0 : 1;
}

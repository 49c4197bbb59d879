// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests of common/virtio_dev.h: a virtio device's interrupts from /proc/interrupts. */
#include <check.h>
#include <string.h>

#include "unit_helpers.h"
#include "util.h"
#include "virtio_dev.h"

/* Two CPUs; virtio2 has per-queue MSI-X vectors, virtio12 shares one, virtio3 is on an INTx line. */
static const char interrupts[] =
	"           CPU0       CPU1       \n"
	"  0:         44          0   IO-APIC   2-edge      timer\n"
	" 11:          5          7   IO-APIC  11-fasteoi   uhci_hcd:usb1, virtio3\n"
	" 37:          0          0  PCI-MSIX-0000:00:03.0   0-edge      virtio2-config\n"
	" 38:          3      21895  PCI-MSIX-0000:00:03.0   1-edge      virtio2-input.0\n"
	" 39:      25471          0  PCI-MSIX-0000:00:03.0   2-edge      virtio2-output.0\n"
	" 40:         10          1  PCI-MSIX-0000:00:03.0   3-edge      virtio2-input.1\n"
	" 41:          1          1  PCI-MSIX-0000:00:09.0   1-edge      virtio12-virtqueues\n"
	"NMI:          0          0   Non-maskable interrupts\n"
	"LOC:     123456     654321   Local timer interrupts\n"
	"ERR:          0\n";

static FILE *fixture(void)
{
	FILE *f = fmemopen((void *)interrupts, sizeof(interrupts) - 1, "r");

	ck_assert_ptr_nonnull(f);
	return f;
}

START_TEST(test_per_queue_vectors)
{
	struct virtio_irq irqs[8];
	FILE *f = fixture();
	int n = virtio_irqs_parse(f, "virtio2", irqs, ARRAY_SIZE(irqs));

	fclose(f);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(irqs[0].irq, 37);
	ck_assert_str_eq(irqs[0].name, "virtio2-config");
	ck_assert_int_eq(irqs[0].rx_queue, -1);
	ck_assert_int_eq(irqs[1].irq, 38);
	ck_assert_str_eq(irqs[1].name, "virtio2-input.0");
	ck_assert_uint_eq(irqs[1].count, 21898);
	ck_assert_int_eq(irqs[1].rx_queue, 0);
	ck_assert_int_eq(irqs[2].rx_queue, -1);
	ck_assert_uint_eq(irqs[2].count, 25471);
	ck_assert_int_eq(irqs[3].irq, 40);
	ck_assert_int_eq(irqs[3].rx_queue, 1);
}
END_TEST

START_TEST(test_prefix_is_not_another_device)
{
	struct virtio_irq irqs[8];
	FILE *f = fixture();
	int n = virtio_irqs_parse(f, "virtio1", irqs, ARRAY_SIZE(irqs));

	fclose(f);
	/* virtio12 starts with "virtio1" but is another device. */
	ck_assert_int_eq(n, 0);
}
END_TEST

START_TEST(test_shared_and_intx)
{
	struct virtio_irq irqs[8];
	FILE *f = fixture();
	int n = virtio_irqs_parse(f, "virtio3", irqs, ARRAY_SIZE(irqs));

	fclose(f);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(irqs[0].irq, 11);
	ck_assert_str_eq(irqs[0].name, "virtio3");
	ck_assert_uint_eq(irqs[0].count, 12);
	f = fixture();
	n = virtio_irqs_parse(f, "virtio12", irqs, ARRAY_SIZE(irqs));
	fclose(f);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(irqs[0].name, "virtio12-virtqueues");
}
END_TEST

START_TEST(test_bounded_and_not_interrupts)
{
	struct virtio_irq irqs[2];
	FILE *f = fixture();

	ck_assert_int_eq(virtio_irqs_parse(f, "virtio2", irqs, ARRAY_SIZE(irqs)), 2);
	fclose(f);
	f = fmemopen((void *)"hello\nworld\n", 12, "r");
	ck_assert_int_eq(virtio_irqs_parse(f, "virtio2", irqs, ARRAY_SIZE(irqs)), -1);
	fclose(f);
}
END_TEST

START_TEST(test_action_names)
{
	char name[64];
	FILE *f = fixture();

	ck_assert(irq_action_parse(f, 11, name, sizeof(name)));
	ck_assert_str_eq(name, "uhci_hcd:usb1, virtio3");
	fclose(f);
	f = fixture();
	ck_assert(irq_action_parse(f, 0, name, sizeof(name)));
	ck_assert_str_eq(name, "timer");
	fclose(f);
	f = fixture();
	ck_assert(!irq_action_parse(f, 999, name, sizeof(name)));
	fclose(f);
}
END_TEST

int main(void)
{
	const TTest *core_tests[] = { test_per_queue_vectors, test_prefix_is_not_another_device,
				      test_shared_and_intx, test_bounded_and_not_interrupts,
				      test_action_names };

	return unit_run(unit_suite("virtio_dev", "core", core_tests, ARRAY_SIZE(core_tests)));
}

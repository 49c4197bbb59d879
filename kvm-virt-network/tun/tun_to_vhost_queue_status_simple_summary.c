// SPDX-License-Identifier: GPL-2.0-only
/* tun_to_vhost_queue_status_simple_summary: the original's later name for tun_to_vhost_queue_status_simple. */
int tun_to_vhost_queue_status_simple_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return tun_to_vhost_queue_status_simple_main(argc, argv);
}
